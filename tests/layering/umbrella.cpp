// Everything a user includes, compiled on its own: the standard check fires here first.
#include <aftermath/aftermath.hpp>
