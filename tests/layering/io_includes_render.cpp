// Compiled as an io source is (AFTERMATH_LAYER=2): the render header must stop the build.
#include <aftermath/render/svg.hpp>
