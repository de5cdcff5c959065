# One short fuzzing run: FUZZER with OPTIONS, starting from SEEDS, new inputs into a fresh WORK
# corpus (the seeds stay as they are), a finding into FINDINGS/. Fails when libFuzzer found anything.
#   cmake -DFUZZER=<target> -DSEEDS=<dir> -DWORK=<dir> -DFINDINGS=<dir> "-DOPTIONS=<a;b>" -P run_short.cmake
cmake_policy(VERSION 3.21)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK} ${FINDINGS})
execute_process(
  COMMAND ${FUZZER} ${OPTIONS} -print_final_stats=1 -artifact_prefix=${FINDINGS}/ ${WORK} ${SEEDS}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  file(GLOB found ${FINDINGS}/*)
  message(FATAL_ERROR "${FUZZER} found something (exit status ${status}); the input: ${found}. "
    "Reproduce with: ${FUZZER} <that file>")
endif()
