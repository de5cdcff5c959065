#!/bin/sh
# Puts Mozilla's ical.js (the iCalendar parser of Thunderbird's calendar) from npm into
# PREFIX/node_modules for check_ical_js.mjs, unless that version is there already.
# Usage: install_ical_js.sh PREFIX [NPM]
# Exits non-zero, saying what is missing, when npm or the registry is not there: the test that
# needs ical.js then fails; it never skips.
set -eu

version=2.2.1  # pinned, so that a new release cannot change what the test checks
prefix=${1:?usage: install_ical_js.sh PREFIX [NPM]}
npm=${2:-npm}
manifest=$prefix/node_modules/ical.js/package.json

if [ -f "$manifest" ] && grep -q "\"version\": \"$version\"" "$manifest"; then
  echo "ical.js $version is in $prefix/node_modules"
  exit 0
fi
if ! command -v "$npm" >/dev/null 2>&1; then
  echo "install_ical_js: npm ('$npm') not found; install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
mkdir -p "$prefix"
if ! "$npm" install --no-save --no-audit --no-fund --prefix "$prefix" "ical.js@$version"; then
  echo "install_ical_js: npm could not install ical.js@$version into $prefix (is the npm registry reachable?)" >&2
  exit 1
fi
if ! grep -q "\"version\": \"$version\"" "$manifest" 2>/dev/null; then
  echo "install_ical_js: npm ran, but $manifest is not ical.js $version" >&2
  exit 1
fi
echo "installed ical.js $version into $prefix/node_modules"
