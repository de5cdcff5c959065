// Compiled as a core source is (AFTERMATH_LAYER=1): the io header must stop the build.
#include <aftermath/io/json.hpp>
