#!/usr/bin/python3
"""Writes the libFuzzer dictionaries tests/fuzz/<format>.dict and the lean model seed.

The dictionaries' keys and values come from docs/model-format.md, docs/plan-format.md,
docs/population-format.md, docs/projection.md, docs/assessment.md and docs/simulation.md; the
ids (effects, modifiers, protocols, flags, holiday sets) from the default model and the built-in
holiday sets, so that mutations name things the loaders know.

tests/fuzz/corpus/model/lean.json is the default model with every sentence cut to its first
letter (a wording sentence to its placeholders) and no whitespace: a quarter of the size, the
same structure and numbers, so that the model target runs four times as many inputs.
tests/fuzz/corpus/model/small.json, written when the command is given, is the lean model with
every list item and object member removed that the model can load without: a sixth of the lean
model's size, so mutations of it run several times faster still.

Run from the repository root after a format or the default model changes (fuzz.model.seeds
fails when a seed no longer loads):
  /usr/bin/python3 tests/fuzz/make_fuzz_inputs.py [build/release/aftermath]
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = json.loads((ROOT / "src/models/mesotherapy_face.json").read_text())
HOLIDAYS = json.loads((ROOT / "src/calendars/holidays.json").read_text())

JSON_TOKENS = ['{', '}', '[', ']', ':', ',', '""', 'true', 'false', 'null', '0', '-0', '1', '-1', '0.5', '1e308',
               '1e-308', '-1e308', '4294967296', '18446744073709551615', '1e999', '0.000001', '3650', '3651']
DATES = ['"2026-12-01"', '"2026-02-29"', '"2028-02-29"', '"1900-01-01"', '"9999-12-31"', '"14:30"', '"23:59"', '"24:00"']
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "monday", "Sunday"]


# FHIR R4 resource types, statuses and systems the mapping reads (docs/fhir.md), and CDS Hooks'.
FHIR_VALUES = ["Bundle", "Patient", "Procedure", "MedicationStatement", "Condition", "QuestionnaireResponse", "Observation",
               "Encounter", "Appointment", "completed", "in-progress", "stopped", "active", "final", "amended", "proposed",
               "resolved", "refuted", "entered-in-error", "http://aftermath.example/fhir/CodeSystem/aftermath",
               "http://aftermath.example/fhir/Questionnaire/symptom-diary", "http://www.nlm.nih.gov/research/umls/rxnorm",
               "1191", "5640", "7258", "Patient/anon-17", "valueInteger", "valueBoolean", "valueQuantity"]
FHIR_DATES = ['"2026-12-15T14:30:00+01:00"', '"2026-12-03T09:00:00Z"', '"2026-12-03T24:00:00Z"', '"2026-12"', '"2026"']
CDS_VALUES = ["patient-view", "appointment-book", "aftermath-patient-view", "aftermath-appointment-book", "patient", "procedures",
              "medications", "conditions", "diaries", "observations", "appointments", "patientId", "hookInstance"]


def ids(table):
    return [entry["id"] for entry in MODEL[table]]


def keys_of(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            keys_of(inner, found)
    elif isinstance(value, list):
        for inner in value:
            keys_of(inner, found)
    return found


PROFILE_KEYS = ["patient", "treatment", "protocol", "risk_factors", "procedure", "sessions", "id", "stopped_on", "date", "time"]
PROFILE_IDS = ids("modifiers") + ids("treatments") + ids("protocols")
REPORT_KEYS = ["reports", "date", "time", "day", "symptom", "severity", "flags", "scale", "nothing_else"]
REPORT_IDS = ids("effects") + ids("report_flags") + ["whole_0_10", "real_0_10", "grade_0_4", "category", "none", "mild",
                                                     "moderate", "severe", "very_severe"]
RULE_KEYS = ["name", "month", "day", "weekday", "week", "easter_offset", "date", "observed", "from_year", "until_year",
             "except_years", "source"]
RULE_VALUES = ["last", "none", "nearest_weekday", "next_weekday"] + WEEKDAYS
CALENDAR_KEYS = ["open_weekdays", "closures", "holidays"]
REQUEST_KEYS = ["profile", "protocol", "earliest", "today", "calendar", "unavailable", "events", "medication_pause_approved",
                "sessions", "maintenance_until", "reports", "from", "to", "date", "name", "require", "confidence"]
POPULATION_KEYS = ["protocol", "interval_days", "sessions_days", "treatment", "procedure", "risk_factors", "profiles", "n",
                   "seed", "horizon_days", "prevalence", "stopped_days_before", "paused_days_before_each_session", "name",
                   "weight", "id"]
PARTIAL_KEYS = ["partial_summary", "format", "text", "model", "id", "version", "population", "patients", "from", "to", "tally",
                "group_counts", "effects", "any", "occurrences_by_session", "patients_affected", "resolution", "visible",
                "visible_on_day", "total", "zeros", "sum_units", "runs"]


def model_words():
    doc = (ROOT / "docs/model-format.md").read_text()
    words = keys_of(MODEL, set()) | set(re.findall(r"`([a-z_]+)`", doc))
    placeholders = set(re.findall(r"\{[a-z_]+\}", doc))
    return sorted(words), sorted(placeholders)


def quoted(word):
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(name, strings, literals=()):
    """`strings` become JSON strings ("key"); `literals` are written as they are (numbers, dates)."""
    entries = []
    for token in list(JSON_TOKENS) + list(literals) + [quoted(s) for s in strings]:
        if token not in entries:
            entries.append(token)
    lines = [f"# libFuzzer dictionary for the {name} format; written by tests/fuzz/make_fuzz_inputs.py, do not edit."]
    lines += [quoted(token) for token in entries]
    (ROOT / "tests/fuzz" / f"{name}.dict").write_text("\n".join(lines) + "\n")


SENTENCE_KEYS = {"text", "assumption", "note", "source", "url", "description", "notice", "sign", "name", "area"}


def lean(value, key=None, in_wording=False):
    """The model with its sentences cut short; ids, keys, enumerations and numbers as they are."""
    if isinstance(value, dict):
        return {k: lean(v, k, in_wording or k == "wording") for k, v in value.items()}
    if isinstance(value, list):
        return [lean(v, key, in_wording) for v in value]
    if isinstance(value, str) and in_wording:
        placeholders = re.findall(r"\{[a-z_]+\}", value)
        return " ".join(placeholders) if placeholders else value[:1]
    if isinstance(value, str) and key in SENTENCE_KEYS:
        return value[:1]
    return value


def loads_as_model(model, cli):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(model, file, separators=(",", ":"), ensure_ascii=False)
    try:
        return subprocess.run([cli, "model", "--model", file.name, "--format", "json"], capture_output=True).returncode == 0
    finally:
        pathlib.Path(file.name).unlink()


def containers(value):
    if isinstance(value, (dict, list)):
        yield value
        for inner in list(value.values() if isinstance(value, dict) else value):
            yield from containers(inner)


def smallest(model, cli):
    """Removes, one at a time and until nothing more can go, each member the model loads without."""
    removed = True
    while removed:
        removed = False
        for container in list(containers(model)):
            for key in reversed(list(container.keys()) if isinstance(container, dict) else range(len(container))):
                if key not in container if isinstance(container, dict) else key >= len(container):
                    continue
                kept = container.pop(key)
                if loads_as_model(model, cli):
                    removed = True
                elif isinstance(container, dict):
                    container[key] = kept
                else:
                    container.insert(key, kept)
    return model


def main():
    words, placeholders = model_words()
    write("model", words + ids("effects") + ids("modifiers") + ids("protocols") + placeholders + ["bateman"],
          ['{"value": 1, "assumption": "a"}', '{"value": 0.5, "evidence": ["lewis_2008"]}'])
    write("profile", PROFILE_KEYS + PROFILE_IDS, DATES)
    write("reports", REPORT_KEYS + REPORT_IDS, DATES)
    write("assessment_request", ["profile", "reports"] + PROFILE_KEYS + REPORT_KEYS + PROFILE_IDS + REPORT_IDS, DATES)
    holiday_sets = [s["id"] for s in HOLIDAYS["holiday_sets"]]
    write("plan_request", REQUEST_KEYS + PROFILE_KEYS + CALENDAR_KEYS + RULE_KEYS + REPORT_KEYS + RULE_VALUES + ids("protocols")
          + PROFILE_IDS + REPORT_IDS + holiday_sets + ["no_visible_side_effects"], DATES)
    write("holidays", ["holiday_sets", "id", "name", "source", "rules"] + RULE_KEYS + RULE_VALUES + holiday_sets,
          ["2199", "1900", "-100", "100", "12", "31", "29"])
    write("population", POPULATION_KEYS + ids("protocols") + PROFILE_IDS, ["1000000000", "1000000001", "100"])
    write("partial", PARTIAL_KEYS + POPULATION_KEYS + ids("effects") + ids("protocols") + PROFILE_IDS
          + [MODEL["id"], MODEL["version"]], ["16384", "16385"])
    wording = MODEL["wording"]
    write("clinic", ["name", "phone", "out_of_hours_phone", "address", "wording"] + list(wording)
          + [key for group in wording.values() for key in group] + placeholders,
          ['"020 7946 0123"', '"+44 (0)20 7946-0123"', '"12"', '"call"'])
    fhir_keys = sorted(keys_of(json.loads((ROOT / "examples/fhir/bundle.json").read_text()), set()))
    fhir_values = FHIR_VALUES + ids("effects") + ids("modifiers") + ids("treatments") + ids("report_flags")
    write("fhir", fhir_keys + fhir_values, DATES + FHIR_DATES)
    cds_keys = sorted(keys_of(json.loads((ROOT / "examples/fhir/cds-appointment-book.json").read_text()), set()) |
                      keys_of(json.loads((ROOT / "examples/fhir/cds-patient-view.json").read_text()), set()))
    write("cds_request", cds_keys + fhir_values + CDS_VALUES, DATES + FHIR_DATES)
    lean_model = json.dumps(lean(MODEL), separators=(",", ":"), ensure_ascii=False)
    (ROOT / "tests/fuzz/corpus/model/lean.json").write_text(lean_model + "\n")
    if len(sys.argv) > 1:
        small_model = smallest(json.loads(lean_model), sys.argv[1])
        (ROOT / "tests/fuzz/corpus/model/small.json").write_text(json.dumps(small_model, separators=(",", ":"), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
