# aftermath_embed_file(INPUT file OUTPUT file.cpp SYMBOL name)
# Writes a C++ source defining `std::string_view aftermath::detail::<name>()` that returns the
# bytes of INPUT. A byte array, not a raw string literal, so any content and any size compile.
function(aftermath_embed_file)
  cmake_parse_arguments(ARG "" "INPUT;OUTPUT;SYMBOL" "" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${ARG_INPUT} -DOUTPUT=${ARG_OUTPUT} -DSYMBOL=${ARG_SYMBOL}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed-run.cmake
    DEPENDS ${ARG_INPUT} ${PROJECT_SOURCE_DIR}/cmake/embed-run.cmake
    COMMENT "Embedding ${ARG_INPUT}"
    VERBATIM)
endfunction()
