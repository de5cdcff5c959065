"""The CDS Hooks services of `aftermath serve`, on loopback: the discovery document and every
response validate against the CDS Hooks 2.0 shapes (tests/serve/cds-hooks.schema.json, written
from the specification), and every resource a suggestion writes against the FHIR R4 schema; the
cards agree with the model (the red-flag cards' indicators are the assessment's triage levels;
the suggested date is the first the recovery gate allows: a session there gets no card, one day
sooner gets one); the command's `aftermath cds` answers with the same bytes; bad requests get
400 naming the path.

Usage: test_cds.py --cli build/release/aftermath --root SOURCE_DIR --fhir-schema fhir.schema.json
"""
import argparse
import copy
import datetime
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

sys.path.insert(0, str(pathlib.Path(__file__).parent))
sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "fhir"))
from check_fhir_schema import Checker as FhirChecker  # noqa: E402
from server import running_server  # noqa: E402

TODAY = "2026-12-20"
PREFETCH_OF_TYPE = {"Patient": "patient", "Procedure": "procedures", "MedicationStatement": "medications", "Condition": "conditions",
                    "QuestionnaireResponse": "diaries", "Observation": "observations"}
INDICATOR_OF_TRIAGE = {"self_care": "info", "contact_provider": "warning", "urgent": "critical", "emergency": "critical"}


def searchset(resources):
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def prefetch_of(bundle):
    """The example Bundle split as an EHR answers the discovery's prefetch queries; a resource
    of a type no query asks for rides along in `conditions`, where the mapping must name it."""
    grouped = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        grouped.setdefault(PREFETCH_OF_TYPE.get(resource["resourceType"], "conditions"), []).append(resource)
    prefetch = {key: searchset(resources) for key, resources in grouped.items() if key != "patient"}
    prefetch["patient"] = grouped["patient"][0]
    return prefetch


def request(hook, prefetch, context=None):
    patient_id = prefetch["patient"]["id"]
    return {"hook": hook, "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "fhirServer": "https://ehr.example/fhir",
            "context": {"userId": "Practitioner/example", "patientId": patient_id, **(context or {})}, "prefetch": prefetch}


class Checker:
    def __init__(self, root, fhir_schema_path):
        schema = json.loads((root / "tests/serve/cds-hooks.schema.json").read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        self.response = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/response"})
        self.discovery = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/discovery"})
        self.fhir = None
        if fhir_schema_path:
            self.fhir = FhirChecker(fhir_schema_path)

    def valid_response(self, document):
        errors = [e.message for e in self.response.iter_errors(document)]
        assert not errors, errors[:5]
        for card in document["cards"]:
            for suggestion in card.get("suggestions", []):
                for action in suggestion["actions"]:
                    if self.fhir and "resource" in action:
                        errors, _ = self.fhir.errors(action["resource"])
                        assert not errors, errors[:5]
        return document


def check_schema_can_fail(checker, card):
    for broken in [dict(card, indicator="danger"), dict(card, summary="x" * 140), {k: v for k, v in card.items() if k != "source"},
                   dict(card, suggestions=[{"label": "move", "actions": [{"type": "update", "description": "d"}]}])]:
        assert list(checker.response.iter_errors({"cards": [broken]})), f"the schema accepts {broken}"


def post(server, service, document):
    status, _, body = server.post(f"/cds-services/{service}", json.dumps(document).encode())
    return status, json.loads(body)


def check_discovery(server, checker):
    status, _, body = server.request("GET", "/cds-services")
    discovery = json.loads(body)
    assert status == 200 and not list(checker.discovery.iter_errors(discovery)), body[:500]
    services = {s["id"]: s for s in discovery["services"]}
    assert services["aftermath-patient-view"]["hook"] == "patient-view"
    assert services["aftermath-appointment-book"]["hook"] == "appointment-book"
    for service in services.values():
        assert {"patient", "procedures"} <= set(service["prefetch"]), service


def check_patient_view(server, checker, cli, root, bundle):
    document = request("patient-view", prefetch_of(bundle))
    status, response = post(server, "aftermath-patient-view", document)
    assert status == 200, response
    cards = checker.valid_response(response)["cards"]
    assessment = json.loads(subprocess.run([cli, "assess", "--fhir", str(root / "examples/fhir/bundle.json"), "--format", "json"],
                                           capture_output=True, text=True, check=True).stdout)
    reasons = assessment["reasons"]
    assert len(cards) == len(reasons) + 1, (len(cards), len(reasons))
    for card, reason in zip(cards, reasons):
        assert card["indicator"] == INDICATOR_OF_TRIAGE[reason["level"]], (card["indicator"], reason["level"])
        assert reason["text"][:40] in card["detail"], card["detail"][:300]
    recovery = cards[-1]
    assert recovery["summary"].startswith("Mesotherapy on") or "slower than expected" in recovery["summary"], recovery["summary"]
    assert "evidence-informed estimates" in recovery["detail"], recovery["detail"][-500:]
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] not in PREFETCH_OF_TYPE:
            unused = f"{entry['resource']['resourceType']}/{entry['resource']['id']}"
            assert unused in recovery["detail"], f"{unused} is not named as unused"
    check_schema_can_fail(checker, recovery)

    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(document, file)
        file.flush()
        command = subprocess.run([cli, "cds", "aftermath-patient-view", "--request", file.name, "--today", TODAY], capture_output=True,
                                 check=True).stdout
    _, _, body = server.post("/cds-services/aftermath-patient-view", json.dumps(document).encode())
    assert command.rstrip(b"\n") == body, "aftermath cds differs from the server"

    without_diary = {k: v for k, v in document["prefetch"].items() if k not in ("diaries", "observations")}
    status, response = post(server, "aftermath-patient-view", request("patient-view", without_diary))
    cards = checker.valid_response(response)["cards"]
    assert status == 200 and len(cards) == 1 and cards[0]["indicator"] == "info", cards
    assert "Not in the request: `diaries`" in cards[0]["detail"]


def session_dates(prefetch):
    """The dates of the Procedures that are sessions (performedDateTime or performedPeriod.start)."""
    procedures = [e["resource"] for e in prefetch["procedures"]["entry"]]
    return sorted((p.get("performedDateTime") or p["performedPeriod"]["start"])[:10] for p in procedures)


def booking(prefetch, start):
    appointment = {"resourceType": "Appointment", "id": "proposed-1", "status": "proposed", "start": f"{start}T10:00:00+01:00",
                   "end": f"{start}T10:30:00+01:00",
                   "participant": [{"actor": {"reference": f"Patient/{prefetch['patient']['id']}"}, "status": "accepted"}]}
    context = {"appointments": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": appointment}]}}
    keep = {k: v for k, v in prefetch.items() if k in ("patient", "procedures", "medications", "conditions")}
    return request("appointment-book", keep, context)


def check_appointment_book(server, checker, bundle):
    prefetch = prefetch_of(bundle)
    last = datetime.date.fromisoformat(session_dates(prefetch)[-1])
    status, response = post(server, "aftermath-appointment-book", booking(prefetch, (last + datetime.timedelta(days=2)).isoformat()))
    cards = checker.valid_response(response)["cards"]
    assert status == 200 and len(cards) == 1 and cards[0]["indicator"] == "warning", cards
    action = cards[0]["suggestions"][0]["actions"][0]
    suggested = datetime.date.fromisoformat(action["resource"]["start"][:10])
    assert action["type"] == "update" and action["resource"]["id"] == "proposed-1" and suggested > last, action
    assert action["resource"]["start"].endswith("T10:00:00+01:00"), action["resource"]["start"]

    status, response = post(server, "aftermath-appointment-book", booking(prefetch, suggested.isoformat()))
    assert status == 200 and response["cards"] == [], f"the suggested date {suggested} still gets {response['cards']}"
    status, response = post(server, "aftermath-appointment-book", booking(prefetch, (suggested - datetime.timedelta(days=1)).isoformat()))
    assert status == 200 and len(response["cards"]) == 1, f"a day before the suggested {suggested} gets no card"


def check_bad_requests(server, bundle):
    prefetch = prefetch_of(bundle)
    cases = [
        ({k: v for k, v in request("patient-view", prefetch).items() if k != "hookInstance"}, "hookInstance"),
        (dict(request("patient-view", prefetch), hook="order-select"), "hook"),
        (request("patient-view", {k: v for k, v in prefetch.items() if k != "procedures"}), "prefetch.procedures"),
        (dict(request("patient-view", prefetch), context={"userId": "Practitioner/x", "patientId": "someone-else"}), "prefetch.patient.id"),
        (request("patient-view", dict(prefetch, allergies=searchset([]))), "prefetch.allergies"),
    ]
    for document, path in cases:
        status, response = post(server, "aftermath-patient-view", document)
        assert status == 400 and path in {p.get("path") for p in response["problems"]}, (path, status, response)
    broken = copy.deepcopy(prefetch)
    broken["procedures"]["entry"][0]["resource"]["performedDateTime"] = "2026-02-30"
    status, response = post(server, "aftermath-patient-view", request("patient-view", broken))
    assert status == 400 and any("prefetch.procedures" in p.get("path", "") for p in response["problems"]), response
    status, response = post(server, "aftermath-appointment-book", request("patient-view", prefetch))
    assert status == 400 and "hook" in {p.get("path") for p in response["problems"]}, response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    parser.add_argument("--fhir-schema", required=True)
    arguments = parser.parse_args()
    checker = Checker(arguments.root, arguments.fhir_schema)
    bundle = json.loads((arguments.root / "examples/fhir/bundle.json").read_text())
    with running_server(arguments.cli, "--today", TODAY) as server:
        check_discovery(server, checker)
        check_patient_view(server, checker, arguments.cli, arguments.root, bundle)
        check_appointment_book(server, checker, bundle)
        check_bad_requests(server, bundle)
    print("CDS Hooks: discovery, patient-view and appointment-book cards valid and agreeing with the model; bad requests named")


if __name__ == "__main__":
    main()
