// The library's layers run one way: core (1) <- io (2) <- render (3) <- service (4). The build
// compiles each layer's sources with AFTERMATH_LAYER set to its level; an io, render or service
// header sets AFTERMATH_HEADER_LAYER and includes this file, which stops the build when the
// header is reached from a lower layer. Code outside the library never sets AFTERMATH_LAYER.
//
// No include guard: every io, render and service header includes it once for itself.
#include <aftermath/detail/cxx20.hpp>

#if defined(AFTERMATH_LAYER) && defined(AFTERMATH_HEADER_LAYER) && AFTERMATH_LAYER < AFTERMATH_HEADER_LAYER
#if AFTERMATH_HEADER_LAYER == 2
#error "aftermath layering: the core includes an io header; the core computes, io reads and writes"
#elif AFTERMATH_HEADER_LAYER == 3
#error "aftermath layering: a render header is included from the core or io; render sits above them"
#else
#error "aftermath layering: a service header is included from the library below it; the service sits on top"
#endif
#endif
#undef AFTERMATH_HEADER_LAYER
