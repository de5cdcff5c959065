// The narrow header on its own: it must reach no Eigen, Boost, nlohmann/json or Random123.
#include <aftermath/service/documents.hpp>
