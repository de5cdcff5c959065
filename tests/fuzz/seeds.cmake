# Gathers each fuzz target's seeds into SEEDS/<target>: its committed corpus
# (tests/fuzz/corpus/<target>/), the inputs the examples and the docs use, and partial summaries
# written by the command CLI (when it is built). Run on every build, so the seeds follow the tree.
#   cmake -DSOURCE_DIR=<repository> -DSEEDS=<directory> [-DCLI=<aftermath>] -P seeds.cmake
cmake_policy(VERSION 3.21)
set(tree_inputs_model src/models/mesotherapy_face.json)
set(tree_inputs_profile examples/profile.json refused:tests/docs/bad.json)
set(tree_inputs_reports tests/docs/reports.json)
set(tree_inputs_assessment_request "")
set(tree_inputs_plan_request tests/docs/plan-request.json)
set(tree_inputs_holidays src/calendars/holidays.json)
set(tree_inputs_population tests/docs/pop.json refused:tests/docs/broken-pop.json)
set(tree_inputs_partial "")
set(tree_inputs_clinic examples/clinic.json)
set(tree_inputs_fhir examples/fhir/bundle.json)
set(tree_inputs_cds_request examples/fhir/cds-patient-view.json examples/fhir/cds-appointment-book.json)

foreach(target IN ITEMS model profile reports assessment_request plan_request holidays population partial clinic fhir cds_request)
  set(out ${SEEDS}/${target})
  file(REMOVE_RECURSE ${out})
  file(MAKE_DIRECTORY ${out})
  file(GLOB committed ${SOURCE_DIR}/tests/fuzz/corpus/${target}/*)
  foreach(input IN LISTS committed)
    file(COPY ${input} DESTINATION ${out})
  endforeach()
  foreach(input IN LISTS tree_inputs_${target})
    # The path in the name keeps two files called the same apart: tests-docs-pop.json.
    set(prefix "")
    if(input MATCHES "^refused:(.*)")
      set(input ${CMAKE_MATCH_1})
      set(prefix refused-)
    endif()
    string(REPLACE "/" "-" name ${input})
    file(COPY_FILE ${SOURCE_DIR}/${input} ${out}/${prefix}${name})
  endforeach()
endforeach()

# Partial summaries as `aftermath simulate --shard` writes them today: a whole cohort in one
# shard (merge takes it alone), half of one (merge refuses it alone), a mixture of profiles, and
# one whose population pauses a medicine before each session, and a shard of a replicated run.
if(CLI)
  set(shards
    "tests/docs/pop.json|1/1|pop-1-of-1|"
    "tests/docs/pop.json|2/2|pop-2-of-2|"
    "tests/fuzz/corpus/population/profiles.json|1/1|profiles-1-of-1|"
    "tests/fuzz/corpus/population/paused-profiles.json|1/1|paused-profiles-1-of-1|"
    "tests/docs/pop.json|2/3|replicates-2-of-3|--replicates=3")
  foreach(shard IN LISTS shards)
    string(REPLACE "|" ";" parts "${shard}")
    list(GET parts 0 population)
    list(GET parts 1 which)
    list(GET parts 2 name)
    list(LENGTH parts fields)
    set(extra "")
    if(fields GREATER 3)
      list(GET parts 3 extra)
    endif()
    execute_process(
      COMMAND ${CLI} simulate --population ${SOURCE_DIR}/${population} -n 4 --threads 1 --shard ${which} ${extra}
      OUTPUT_FILE ${SEEDS}/partial/cli-${name}.json
      RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "aftermath simulate --shard ${which} on ${population} failed (${status})")
    endif()
  endforeach()
endif()
