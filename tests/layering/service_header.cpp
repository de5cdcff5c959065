// The narrow headers on their own: they must reach no Eigen, Boost, nlohmann/json or Random123.
#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>
