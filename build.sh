#!/usr/bin/env bash
# aftermath's one entry point on a Debian machine:
#   ./build.sh demo    install what the demo needs, build the library and the command, run `aftermath demo`
#   ./build.sh test    install what is missing, build everything, run the whole test suite, then
#                      in a clang build under AddressSanitizer + UndefinedBehaviorSanitizer the
#                      unit tests again and the fuzz targets over their seeds and for 10 s each,
#                      and under ThreadSanitizer the C ABI's service shared by four threads
#                      (./build.sh test ARGS... passes ARGS to the first ctest, e.g. -L unit,
#                      and skips the sanitizer run)
#   ./build.sh bench   install what is missing, build, run the benchmarks
#   ./build.sh screenshot
#                      install what is missing, build the command, and render the demo leaflet in
#                      headless Chromium at a phone's width into docs/images/leaflet-demo.png
#   ./build.sh fuzz [SECONDS [TARGET...]]
#                      install what is missing, build the fuzz targets (the fuzz preset), fuzz each
#                      loader (or the TARGETs named) for SECONDS (600) in build/fuzz/corpus-<target>,
#                      write the summary to build/fuzz/campaign.txt and any finding to
#                      build/fuzz/findings/; fails if anything was found. Every run is added to
#                      build/fuzz/campaign-history.txt, whose totals count the executions against the
#                      same sources, so that a long campaign can be run in parts
# Packages are installed only when missing, and the script says which.
set -euo pipefail
cd "$(dirname "$0")"

# What the library and the command need; then what the tests and benchmarks add.
# `aftermath serve` is part of the command: cpp-httplib, a compiled library found by pkg-config.
LIBRARY_PACKAGES=(cmake g++ make libeigen3-dev libboost-dev nlohmann-json3-dev libcli11-dev librandom123-dev
                  libcpp-httplib-dev pkg-config)
# The sanitizer run builds with clang, whose libFuzzer the fuzz targets link.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)
# The leaflet is measured on a phone's viewport in headless Chromium, driven over its DevTools
# protocol by python3-websocket. OpenMPI builds aftermath-mpi, whose tests run under mpirun. The C
# example reads the C ABI's documents with cJSON. python3-jsonschema checks the documents' schemas
# (schemas/) against the loaders and writers.
MPI_PACKAGES=(libopenmpi-dev openmpi-bin)
# The Python module is built with pybind11 for Debian's python3 and tested with its pytest,
# NumPy (above) and pandas; one test installs it into a virtual environment (python3-venv).
PYTHON_PACKAGES=(pybind11-dev python3-dev python3-pytest python3-pandas python3-venv)
TEST_PACKAGES=(googletest libgtest-dev libgmock-dev libbenchmark-dev
               python3-numpy python3-icalendar librsvg2-bin libxml2-utils libcjson-dev pkg-config "${FUZZ_PACKAGES[@]}"
               chromium fonts-dejavu-core python3-websocket python3-jsonschema "${MPI_PACKAGES[@]}" "${PYTHON_PACKAGES[@]}")
# ical.js from npm reads the tests' iCalendar files: Node.js and npm from Debian when this machine
# has none (a Node.js installed otherwise, with its own npm, is used as it is).
NODE_PACKAGES=()
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || NODE_PACKAGES=(nodejs npm)
FUZZ_TARGETS=(model profile reports assessment_request plan_request holidays population partial clinic fhir cds_request)
PRESET=release
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing missing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The demo builds only the library and the command in build/release; test and bench switch the
# rest on in the same tree, so nothing the demo built is built again.
configure_library() {
  cmake --preset "$PRESET" -DAFTERMATH_BUILD_TESTS=OFF -DAFTERMATH_BUILD_EXAMPLES=OFF \
        -DAFTERMATH_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build --preset "$PRESET" -j "$JOBS" --target aftermath_cli
}

configure_everything() {
  cmake --preset "$PRESET" -DAFTERMATH_BUILD_TESTS=ON -DAFTERMATH_BUILD_EXAMPLES=ON \
        -DAFTERMATH_BUILD_BENCHMARKS=ON >/dev/null
  cmake --build --preset "$PRESET" -j "$JOBS"
}

# A build directory configured with another compiler is started afresh: given a new compiler,
# CMake deletes the tree's cache and configures again without the preset's variables (the
# sanitizer flags among them). The asan tree was built with g++ before it served the fuzz targets.
fresh_if_not_clang() {
  local cache="build/$1/CMakeCache.txt"
  if [ -f "$cache" ] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++' "$cache"; then
    echo "build.sh: build/$1 was configured with another compiler; starting it afresh with clang++"
    rm -rf "build/$1"
  fi
}

sanitized_tests() {
  echo "build.sh: the unit tests and the fuzz regression under AddressSanitizer + UndefinedBehaviorSanitizer (clang)"
  fresh_if_not_clang asan
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$JOBS"
  ctest --preset asan -j "$JOBS"
}

# The C ABI's one service shared by four threads, under ThreadSanitizer: only what that test needs
# is built in build/tsan (the library, the C library and the test).
threaded_tests() {
  echo "build.sh: the C ABI shared by threads under ThreadSanitizer (g++)"
  cmake --preset tsan -DAFTERMATH_BUILD_TESTS=ON >/dev/null
  cmake --build --preset tsan -j "$JOBS" --target c_api_boundary_test
  ctest --preset tsan
}

# One target's campaign, in the background: its log, its exit status, the corpus it grew.
fuzz_one_target() {
  local target=$1 seconds=$2 out=build/fuzz
  local options=()
  mapfile -t options < "$out/tests/fuzz/fuzz_$target.options"
  mkdir -p "$out/corpus-$target"
  # The seeds join what earlier campaigns found; the tree's corpus is never written to.
  cp -n "$out/tests/fuzz/seeds/$target/"* "$out/corpus-$target/" 2>/dev/null || true
  rm -f "$out/campaign-$target.status"
  local status=0
  # Without an allocation's stack at every malloc, the targets run about a third faster; a
  # finding, run again on its own (docs/building.md#fuzzing), shows the stacks.
  ASAN_OPTIONS="malloc_context_size=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
  "$out/tests/fuzz/fuzz_$target" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$out/findings/$target-" "$out/corpus-$target" > "$out/campaign-$target.log" 2>&1 || status=$?
  echo "$status" > "$out/campaign-$target.status"
}

# "model: 1234567 executions, 2057 exec/s, corpus 312 inputs (1.2M), nothing found"
fuzz_result_line() {
  local target=$1 out=build/fuzz
  local log="$out/campaign-$target.log" status
  status=$(cat "$out/campaign-$target.status")
  local runs rate inputs size found
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  inputs=$(find "$out/corpus-$target" -type f | wc -l)
  size=$(du -sh "$out/corpus-$target" | cut -f1)
  found="nothing found"
  if [ "$status" -ne 0 ]; then
    found="FOUND (exit status $status): $(ls -t "$out/findings/$target-"* 2>/dev/null | head -1), see $log"
  fi
  echo "$target: ${runs:-?} executions, ${rate:-?} exec/s, corpus $inputs inputs ($size), $found"
}

# The sources a campaign tests: a hash of the committed src/, include/ and tests/fuzz/ trees,
# marked when the work tree differs from them (a run on changes not committed counts apart).
fuzz_sources() {
  local trees
  trees=$(git rev-parse HEAD:src HEAD:include HEAD:tests/fuzz 2>/dev/null) || { echo unknown; return; }
  local hash
  hash=$(echo "$trees" | sha1sum | cut -c1-12)
  if git diff --quiet HEAD -- src include tests/fuzz; then echo "$hash"; else echo "$hash-modified"; fi
}

# Appends this run to the history; prints each target's executions against these sources so far.
fuzz_record_history() {
  local out=build/fuzz sources=$1
  shift
  local history="$out/campaign-history.txt" target runs
  for target in "$@"; do
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/campaign-$target.log" | tail -1)
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown) sources=$sources target=$target executions=${runs:-0} status=$(cat "$out/campaign-$target.status")" >> "$history"
  done
  echo "executions against sources $sources, every run so far (build/fuzz/campaign-history.txt):"
  for target in "${FUZZ_TARGETS[@]}"; do
    awk -v s="sources=$sources" -v t="target=$target" '$3 == s && $4 == t { split($5, e, "="); n += e[2]; k++ }
      END { if (k) printf "  %s: %d executions in %d runs\n", substr(t, 8), n, k }' "$history"
  done
}

fuzz_campaign() {
  local seconds=$1 out=build/fuzz
  shift
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || targets=("${FUZZ_TARGETS[@]}")
  fresh_if_not_clang fuzz
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$JOBS"
  mkdir -p "$out/findings"
  echo "build.sh: fuzzing each of ${targets[*]} for $seconds s, $JOBS at a time"
  for target in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
    fuzz_one_target "$target" "$seconds" &
  done
  wait
  local failed=0
  {
    echo "aftermath fuzz campaign, $(date -u +%Y-%m-%dT%H:%M:%SZ), $seconds s per target, $JOBS at a time, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    for target in "${targets[@]}"; do fuzz_result_line "$target"; done
    fuzz_record_history "$(fuzz_sources)" "${targets[@]}"
  } > "$out/campaign.txt"
  cat "$out/campaign.txt"
  for target in "${targets[@]}"; do
    [ "$(cat "$out/campaign-$target.status")" -eq 0 ] || failed=1
  done
  if [ "$failed" -ne 0 ]; then
    echo "build.sh: the campaign found something; reproduce a finding with build/fuzz/tests/fuzz/fuzz_<target> <file>" >&2
    return 1
  fi
}

usage() {
  echo "usage: ./build.sh demo|test|bench|screenshot|fuzz [SECONDS [TARGET...]]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
command=$1
shift
case "$command" in
  demo)
    install_missing_packages "${LIBRARY_PACKAGES[@]}"
    configure_library
    "build/$PRESET/aftermath" demo --format text --out build/demo "$@"
    ;;
  test)
    install_missing_packages "${LIBRARY_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${NODE_PACKAGES[@]}"
    configure_everything
    ctest --preset "$PRESET" -j "$JOBS" "$@"
    if [ $# -eq 0 ]; then sanitized_tests; threaded_tests; fi
    ;;
  bench)
    install_missing_packages "${LIBRARY_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    configure_everything
    "build/$PRESET/bench/aftermath_bench" "$@"
    ;;
  screenshot)
    install_missing_packages "${LIBRARY_PACKAGES[@]}" chromium fonts-dejavu-core python3-websocket
    configure_library
    mkdir -p docs/images
    /usr/bin/python3 tests/browser/leaflet_screenshot.py write "build/$PRESET/aftermath" examples/clinic.json docs/images/leaflet-demo.png
    ;;
  fuzz)
    seconds=${1:-600}
    [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage
    [ $# -eq 0 ] || shift
    for target in "$@"; do
      [[ " ${FUZZ_TARGETS[*]} " == *" $target "* ]] || { echo "build.sh: no fuzz target '$target' (${FUZZ_TARGETS[*]})" >&2; exit 2; }
    done
    install_missing_packages "${LIBRARY_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
    fuzz_campaign "$seconds" "$@"
    ;;
  *) usage ;;
esac
