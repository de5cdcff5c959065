#!/usr/bin/python3
"""Validates FHIR R4 JSON resources against HL7's FHIR R4 JSON Schema (fhir.schema.json).

Usage: check_fhir_schema.py --schema fhir.schema.json FILE.json|- [...]

Each file holds one resource, often a Bundle. The schema types a Bundle entry's resource as a
oneOf over every resource type, which a validator answers slowly and, on failure, with one error
about the whole list; so each resource is checked against its own type's definition (chosen by
its resourceType, as the schema's discriminator says), and the resources inside a Bundle one by
one in the same way. Prints one line per error, `FILE: path: message`; exit status 0 when every
resource is valid, 1 naming every error, 2 for a missing schema or a file that is not JSON.
"""
import argparse
import json
import pathlib
import sys

import jsonschema


class Checker:
    def __init__(self, schema_path):
        schema = json.loads(pathlib.Path(schema_path).read_text())
        self.types = set(schema["discriminator"]["mapping"])
        definitions = dict(schema["definitions"])
        # Entries are checked one by one below, against their own types.
        definitions["ResourceList"] = {}
        self.validator_class = jsonschema.validators.validator_for(schema)
        self.definitions = definitions
        self.validators = {}

    def validator(self, resource_type):
        if resource_type not in self.validators:
            schema = {"$schema": "http://json-schema.org/draft-06/schema#", "definitions": self.definitions,
                      "$ref": f"#/definitions/{resource_type}"}
            self.validators[resource_type] = self.validator_class(schema)
        return self.validators[resource_type]

    def errors(self, resource, path="$"):
        """Every error in the resource and, for a Bundle, in each entry's resource; and the count of resources."""
        if not isinstance(resource, dict) or resource.get("resourceType") not in self.types:
            return [f"{path}: not a FHIR R4 resource (resourceType {resource.get('resourceType') if isinstance(resource, dict) else None!r})"], 0
        found = [f"{path}{''.join(f'.{p}' if isinstance(p, str) else f'[{p}]' for p in error.absolute_path)}: {error.message}"
                 for error in self.validator(resource["resourceType"]).iter_errors(resource)]
        count = 1
        if resource["resourceType"] == "Bundle":
            for i, entry in enumerate(resource.get("entry", [])):
                if isinstance(entry, dict) and "resource" in entry:
                    inner, inner_count = self.errors(entry["resource"], f"{path}.entry[{i}].resource")
                    found += inner
                    count += inner_count
        return found, count


def read(name):
    try:
        return json.loads(sys.stdin.read() if name == "-" else pathlib.Path(name).read_text())
    except (OSError, ValueError) as error:
        print(f"check_fhir_schema: {name}: {error}", file=sys.stderr)
        sys.exit(2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", required=True)
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    if not pathlib.Path(arguments.schema).is_file():
        print(f"check_fhir_schema: no schema at {arguments.schema} (tests/fhir/install_fhir_schema.sh installs it)", file=sys.stderr)
        sys.exit(2)
    checker = Checker(arguments.schema)
    failed = False
    for name in arguments.files:
        errors, count = checker.errors(read(name))
        for error in errors:
            print(f"{name}: {error}")
        failed |= bool(errors)
        if not errors:
            print(f"{name}: valid FHIR R4 ({count} resources)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
