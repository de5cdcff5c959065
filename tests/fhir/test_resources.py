#!/usr/bin/python3
"""Every FHIR resource the command writes is valid FHIR R4, and the check could fail.

Usage: test_resources.py --cli build/release/aftermath --root SOURCE_DIR --schema fhir.schema.json

Writes the projection, assessment, plan and leaflet of the examples with --format fhir and the
symptom diary Questionnaire (aftermath model --format fhir), and validates them, the example
Bundle and the shipped Questionnaire against HL7's R4 JSON Schema (check_fhir_schema.py). Then
breaks each written Bundle in one place (a status that is not a string, an unknown property) and
requires the schema to refuse it: a checker that accepts everything would pass the first half.
"""
import argparse
import copy
import pathlib
import json
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from check_fhir_schema import Checker  # noqa: E402


def written(cli, root, *arguments):
    result = subprocess.run([cli, *arguments, "--format", "fhir"], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (arguments, result.stderr)
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--schema", required=True)
    arguments = parser.parse_args()
    checker = Checker(arguments.schema)
    cli, root = arguments.cli, arguments.root
    bundle = "examples/fhir/bundle.json"
    documents = {
        "project": written(cli, root, "project", "--fhir", bundle),
        "assess": written(cli, root, "assess", "--fhir", "tests/fuzz/corpus/fhir/diary-with-warning-signs.json"),
        "plan": written(cli, root, "plan", "--request", "tests/docs/plan-request.json"),
        "leaflet": written(cli, root, "leaflet", "--fhir", bundle),
        "model": written(cli, root, "model"),
        bundle: json.loads((root / bundle).read_text()),
        "fhir/Questionnaire-aftermath-symptom-diary.json": json.loads((root / "fhir/Questionnaire-aftermath-symptom-diary.json").read_text()),
    }
    types = {"project": {"RiskAssessment", "OperationOutcome"}, "assess": {"RiskAssessment", "Flag"},
             "plan": {"CarePlan", "Appointment"}, "leaflet": {"DocumentReference", "OperationOutcome"}}
    failures = []
    for name, document in documents.items():
        errors, count = checker.errors(document)
        failures += [f"{name}: {error}" for error in errors]
        if name in types:
            found = {entry["resource"]["resourceType"] for entry in document["entry"]}
            if found != types[name]:
                failures.append(f"{name}: the Bundle holds {sorted(found)}, not {sorted(types[name])}")
        print(f"{name}: {count} resources, {len(errors)} errors")
    for name in types:
        for breakage in ("status", "property"):
            broken = copy.deepcopy(documents[name])
            resource = broken["entry"][0]["resource"]
            if breakage == "status":
                resource["status"] = 5  # a code is a string
            else:
                resource["severityScore"] = 3
            if not checker.errors(broken)[0]:
                failures.append(f"{name}: the schema accepted the Bundle with a broken {breakage}")
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        sys.exit(1)
    print("FHIR R4: every resource written is valid, and each broken one refused")


if __name__ == "__main__":
    main()
