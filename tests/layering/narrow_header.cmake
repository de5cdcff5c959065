# Fails when FILE, compiled on its own against the project's include directory alone, reaches a
# header of Eigen, Boost, nlohmann/json or Random123: the narrow header promises none of them.
cmake_minimum_required(VERSION 3.21)
execute_process(COMMAND ${COMPILER} -std=c++20 -fsyntax-only -H -I${INCLUDE} ${FILE}
                RESULT_VARIABLE status ERROR_VARIABLE included)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FILE} does not compile on its own:\n${included}")
endif()
string(REGEX MATCHALL "[^\n]*(eigen3|/boost/|nlohmann|Random123)[^\n]*" reached "${included}")
if(reached)
  list(GET reached 0 first)
  message(FATAL_ERROR "${FILE} reaches a dependency's header, first: ${first}")
endif()
string(REGEX MATCHALL "\n\\.+ " headers "\n${included}")
list(LENGTH headers count)
message(STATUS "${FILE}: ${count} headers, none of Eigen, Boost, nlohmann/json or Random123")
