# Installs this build of aftermath into a scratch prefix, then configures, builds and runs a
# consumer that uses only find_package(aftermath CONFIG REQUIRED), and a C program that uses only
# pkg-config and the installed C ABI; and checks that the schemas were installed. (The Python
# module's install is tests/python/test_install.py's.)
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package/consumer -B ${WORK_DIR}/consumer -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run(${WORK_DIR}/consumer/consumer)

# The C ABI as a C program outside CMake finds it: pkg-config's flags, the installed soname.
file(GLOB_RECURSE pc_files ${prefix}/*/aftermath-c.pc)
if(NOT pc_files)
  message(FATAL_ERROR "the install has no aftermath-c.pc")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
execute_process(COMMAND pkg-config --cflags --libs aftermath-c OUTPUT_VARIABLE flags RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pkg-config does not find aftermath-c in ${pc_dir}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=c11 -Wall -Wextra -pedantic -Werror ${SOURCE_DIR}/tests/package/consumer_c.c ${flags} -o ${WORK_DIR}/consumer_c)
get_filename_component(lib_dir ${pc_dir} DIRECTORY)
set(ENV{LD_LIBRARY_PATH} ${lib_dir})
run(${WORK_DIR}/consumer_c)

# The schemas beside the library, for validators that read them from the install.
file(GLOB installed_schemas ${prefix}/share/aftermath/schemas/*.schema.json)
list(LENGTH installed_schemas schema_count)
if(schema_count LESS 12)
  message(FATAL_ERROR "the install has ${schema_count} schemas in share/aftermath/schemas, not the 12 documents'")
endif()
