// aftermath's headers use C++20 (concepts of the standard library, designated initialisers,
// std::span): an older standard gets this one clear message instead of pages of errors.
#pragma once

#if defined(_MSVC_LANG)
#define AFTERMATH_CPLUSPLUS _MSVC_LANG
#else
#define AFTERMATH_CPLUSPLUS __cplusplus
#endif
#if AFTERMATH_CPLUSPLUS < 202002L
#error "aftermath needs C++20: compile with -std=c++20 (CMake: target_compile_features(... cxx_std_20), which aftermath::aftermath sets)"
#endif
#undef AFTERMATH_CPLUSPLUS
