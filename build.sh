#!/usr/bin/env bash
# aftermath's one entry point on a Debian machine:
#   ./build.sh demo    install what is missing, build, run `aftermath demo`
#   ./build.sh test    install what is missing, build everything, run the whole test suite
#   ./build.sh bench   install what is missing, build, run the benchmarks
# Packages are installed only when missing, and the script says which.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(cmake g++ make pkg-config libeigen3-dev libboost-dev libboost-date-time-dev nlohmann-json3-dev
          libcli11-dev googletest libgtest-dev libgmock-dev libbenchmark-dev librandom123-dev
          python3-numpy python3-icalendar librsvg2-bin libxml2-utils)
PRESET=release
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing_packages() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
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

configure_and_build() {
  cmake --preset "$PRESET" >/dev/null
  cmake --build --preset "$PRESET" -j "$JOBS"
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
    install_missing_packages
    configure_and_build
    "build/$PRESET/aftermath" demo --format text --out build/demo "$@"
    ;;
  test)
    install_missing_packages
    configure_and_build
    ctest --preset "$PRESET" -j "$JOBS" "$@"
    ;;
  bench)
    install_missing_packages
    configure_and_build
    "build/$PRESET/bench/aftermath_bench" "$@"
    ;;
  *) usage ;;
esac
