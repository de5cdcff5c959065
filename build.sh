#!/usr/bin/env bash
# aftermath's one entry point on a Debian machine:
#   ./build.sh demo    install what the demo needs, build the library and the command, run `aftermath demo`
#   ./build.sh test    install what is missing, build everything, run the whole test suite, then
#                      the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#                      (./build.sh test ARGS... passes ARGS to the first ctest, e.g. -L unit,
#                      and skips the sanitizer run)
#   ./build.sh bench   install what is missing, build, run the benchmarks
# Packages are installed only when missing, and the script says which.
set -euo pipefail
cd "$(dirname "$0")"

# What the library and the command need; then what the tests and benchmarks add.
LIBRARY_PACKAGES=(cmake g++ make libeigen3-dev libboost-dev nlohmann-json3-dev libcli11-dev librandom123-dev)
TEST_PACKAGES=(googletest libgtest-dev libgmock-dev libbenchmark-dev
               python3-numpy python3-icalendar librsvg2-bin libxml2-utils)
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

sanitized_unit_tests() {
  echo "build.sh: the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$JOBS"
  ctest --preset asan -j "$JOBS"
}

usage() {
  echo "usage: ./build.sh demo|test|bench" >&2
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
    install_missing_packages "${LIBRARY_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    configure_everything
    ctest --preset "$PRESET" -j "$JOBS" "$@"
    if [ $# -eq 0 ]; then sanitized_unit_tests; fi
    ;;
  bench)
    install_missing_packages "${LIBRARY_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    configure_everything
    "build/$PRESET/bench/aftermath_bench" "$@"
    ;;
  *) usage ;;
esac
