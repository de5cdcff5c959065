# Warnings are a property of this project's own targets, never PUBLIC: a clinic that embeds
# aftermath keeps its own warning policy.
function(aftermath_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /permissive-)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
      -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  endif()
endfunction()
