// Compiled as a render source is (AFTERMATH_LAYER=3): the service header must stop the build.
#include <aftermath/service/documents.hpp>
