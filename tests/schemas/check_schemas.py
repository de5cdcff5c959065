#!/usr/bin/python3
"""Checks that the JSON Schemas in schemas/ say what the command's loaders and writers do.

    /usr/bin/python3 tests/schemas/check_schemas.py --cli build/release/aftermath [--root .] [-v]

Needs python3-jsonschema (Debian 12: 4.10). Every check runs the command; nothing is mocked.

1. The schemas: each is a valid draft 2020-12 schema with its `$id` under BASE, a title and a
   description, and a description on every property; `aftermath schema NAME` prints exactly
   schemas/NAME.schema.json, and an unknown NAME is exit 2 naming every valid one. The Python
   example of docs/schemas.md prints what the page shows.
2. Inputs: every example input (examples/*.json, tests/docs/*.json, the fuzz seeds in
   tests/fuzz/corpus/, the default model, the JSON documents in README.md and docs/*.md, found
   with check_docs.split_markdown) and inputs generated from the model's ids are given to the
   loader (the command reading that document) and to the schema. They must agree: the bad
   examples (tests/docs/bad.json, broken-pop.json) are refused by both.
3. Outputs: what project, assess, plan, simulate (plain, --replicates 2, --compare, a sweep,
   --shard and merge) and model print for those inputs validates against its schema.
4. Mutations: valid inputs with one structural change each (a key dropped, an unknown key added,
   a value of another type, a number out of range or made a fraction, an unknown name, an empty
   list) go to the loader and the schema. A schema that refuses what the loader accepts fails
   the test, always; a schema that accepts what the loader refuses fails it unless every problem
   the loader names is in ALLOWED below: a check JSON Schema cannot make, with its reason.

Exit status 0 when everything agrees; 1 naming every disagreement with the document and both
verdicts; 2 for bad arguments.
"""

import argparse
import copy
import json
import pathlib
import random
import re
import shutil
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "docs"))
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
import check_docs  # noqa: E402  (the documentation check's Markdown reader)
import make_fuzz_inputs  # noqa: E402  (the fuzz inputs' model ids)

BASE = "https://aftermath.example/schemas/"
NAMES = ["model", "profile", "reports", "plan-request", "population", "projection", "assessment", "plan", "cohort-summary",
         "partial-summary", "diaries", "clinic"]
DTSTAMP = "20261201T000000Z"
BAD_EXAMPLES = {"bad.json", "broken-pop.json"}  # tests/docs' examples of refused input

# What the loaders refuse and a schema cannot know: each entry is a schema, a pattern that a
# problem line of the loader's stderr matches, why the schema lets the document through, and an
# example the loader refuses for that reason alone (the test checks that it does, that the schema
# accepts it and that the pattern names its problem, so no entry stands without a case).
MODEL_IDS = "the ids are the model's data, and a clinic's model (--model) may have others"
ORDER = "values compared with each other: JSON Schema compares no two values"
S = ["2026-12-01"]
ALLOWED = [
    ("profile", r"unknown (risk factor|procedure modifier|treatment|protocol) '", MODEL_IDS,
     {"risk_factors": ["vampire"], "sessions": S}),
    ("profile", r"is a (procedure|patient) modifier; list it under", "which list a modifier belongs in is the model's data",
     {"risk_factors": ["topical_anaesthetic"], "sessions": S}),
    ("profile", r"has no washout in the model", "which modifiers are medicines is the model's data",
     {"risk_factors": [{"id": "bruise_prone", "stopped_on": "2026-11-01"}], "sessions": S}),
    ("profile", r"is listed twice", "uniqueItems cannot see that a bare id and an object's id are the same modifier",
     {"risk_factors": ["aspirin", {"id": "aspirin"}], "sessions": S}),
    ("profile", r"is not after the session before it|is after the last session", ORDER,
     {"risk_factors": [{"id": "aspirin", "stopped_on": "2026-12-20"}], "sessions": ["2026-12-15", "2026-12-01"]}),
    ("reports", r"is not a (symptom of this model|flag) ", MODEL_IDS,
     {"reports": [{"day": 1, "symptom": "sunburn", "severity": 2}]}),
    ("reports", r"is not a rating on the scale whole_0_10", "without a scale, whether a fraction is allowed is the model's default_scale",
     {"reports": [{"day": 1, "symptom": "bruising", "severity": 2.5}]}),
    ("reports", r"is before the first session|is more than 3650 days after the last session",
     "a report's date and day are checked against the profile's sessions, another document",
     {"reports": [{"date": "2026-11-30", "symptom": "bruising", "severity": 2}]}),
    ("population", r"unknown (risk factor|procedure modifier|treatment|protocol) '", MODEL_IDS,
     {"protocol": "face_final", "n": 10}),
    ("population", r"interval_days: is .*, but must be in", "interval_days lies within the protocol's min and max, the model's data",
     {"protocol": "face_initial", "interval_days": 60, "n": 10}),
    ("population", r"has no washout in the model", "which modifiers are medicines is the model's data",
     {"sessions_days": [0, 14], "n": 10, "risk_factors": {"bruise_prone": {"prevalence": 0.1, "stopped_days_before": 3}}}),
    ("population", r"is not after the session before it", ORDER, {"sessions_days": [0, 14, 7], "n": 10}),
    ("population", r"is a second list", "one list per population: a schema cannot count lists across an object's members",
     {"sessions_days": [0, 14], "n": 10, "risk_factors": {"aspirin": {"prevalence": 0.1, "stopped_days_before": [1, 2]},
                                                          "nsaid": {"prevalence": 0.1, "stopped_days_before": [1, 2]}}}),
    ("plan-request", r"unknown (risk factor|procedure modifier|treatment|protocol|holiday set) '",
     MODEL_IDS + "; the holiday sets are the command's", {"profile": {}, "protocol": "face_initial", "earliest": "2026-12-01",
                                                          "calendar": {"holidays": ["atlantis"]}}),
    ("plan-request", r"is a (procedure|patient) modifier; list it under|has no washout in the model", "a modifier's kind is the model's data",
     {"profile": {"risk_factors": ["topical_anaesthetic"]}, "protocol": "face_initial", "earliest": "2026-12-01"}),
    ("plan-request", r"is not a day of month|is (after|before) (until|from)_year|ends \(.*\) before it starts", ORDER,
     {"profile": {}, "protocol": "face_initial", "earliest": "2026-12-01", "unavailable": [{"from": "2026-12-10", "to": "2026-12-01"}],
      "calendar": {"holidays": [{"name": "x", "month": 2, "day": 30}]}}),
    ("plan-request", r"is not a (symptom of this model|flag) |is not a rating on the scale whole_0_10|is before the first session",
     "the reports as for assess", {"profile": {"sessions": S}, "protocol": "face_initial", "earliest": "2026-12-01",
                                   "reports": [{"day": 1, "symptom": "sunburn", "severity": 2}]}),
    ("model", r"is not in the evidence table|is neither an effect nor a risk|is not another modifier|is not a treatment|is not an effect|"
              r"is not in report_flags|is used twice|is listed twice|must be < half_life_days|more than 3 times peak_sd|is before|"
              r"must satisfy min|must not be above|must be above|must lie within the value's range|must hold the value|placeholders|"
              r"does not use \{|uses none of|must be below the word before|must end with a word from 0|qualifies present_after_day|"
              r"kinds must lead up|has no text for|is itself a kind",
     "references, order and placeholders across the model: JSON Schema compares no two values and reads no sentence", None),
    ("clinic", r"placeholders|does not use \{|uses none of|must be below the word before|must end with a word from 0",
     "a sentence's placeholders and the chance words' order, as in the model",
     {"name": "Clinic", "phone": "020 7946 0000", "wording": {"durations": {"day": "{n} day"}}}),
    ("partial-summary", r"the model given is|is not a non-empty range|but the shard's range holds|entries, but this population needs|"
                        r"effects, but the model has|the model's effect in this place|patients were affected|but the shard has|"
                        r"counts add up to|more than the first bin holds|reaches bin|is more than the|replicates, but from and to|"
                        r"figures, but this population's summary has|covers every patient",
     "a partial summary's tallies against its population, the model and each other", None),
    ("partial-summary", r"does not fit its place in the summary",
     "a replicate's figure is a chance or a number of days by its place in a list of hundreds, which follows the population", None),
]


def fail_text(document, schema_verdict, loader_verdict):
    text = json.dumps(document)
    if len(text) > 1500:
        text = text[:1500] + " ..."
    return f"{text}\n    schema: {schema_verdict}\n    loader: {loader_verdict}"


class Checker:
    def __init__(self, cli, root, verbose):
        self.cli, self.root, self.verbose = cli, root, verbose
        self.failures, self.counts = [], {"schemas": 0, "inputs": 0, "outputs": 0, "mutations": 0, "allowed": 0}
        self.schemas = {name: json.loads((root / "schemas" / f"{name}.schema.json").read_text()) for name in NAMES}
        self.store = {s["$id"]: s for s in self.schemas.values()}
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="aftermath-schemas-"))
        self.validators = {}
        self.used = set()

    # ---- the two verdicts
    def validator(self, target):
        """A validator for a schema name or a URI with a JSON pointer into one."""
        if target not in self.validators:
            schema = self.schemas[target] if target in self.schemas else {"$ref": target}
            resolver = RefResolver(base_uri=schema.get("$id", ""), referrer=schema, store=self.store)
            self.validators[target] = Draft202012Validator(schema, resolver=resolver, format_checker=FormatChecker())
        return self.validators[target]

    def schema_errors(self, target, document):
        errors = sorted(self.validator(target).iter_errors(document), key=lambda e: list(e.absolute_path))
        return ["/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300] for e in errors]

    def run(self, args, stdin=None):
        result = subprocess.run([str(self.cli)] + args, input=stdin, capture_output=True, text=True, cwd=self.tmp, timeout=120)
        return result.returncode, result.stdout, result.stderr

    def write(self, name, document):
        path = self.tmp / name
        path.write_text(document if isinstance(document, str) else json.dumps(document))
        return str(path)

    def load(self, kind, document, context):
        """The loader's verdict: (accepted, problem lines). Anything but 0 or 2 is a failure."""
        path = self.write("input.json", document)
        if kind == "profile":
            args = ["project", "--profile", path, "--horizon", "2", "--format", "json"]
        elif kind == "reports":
            args = ["assess", "--profile", self.write("profile.json", context["profile"]), "--reports", path, "--format", "json"]
        elif kind == "plan-request":
            args = ["plan", "--request", path, "--dtstamp", DTSTAMP, "--format", "json"]
        elif kind == "population":
            args = ["simulate", "--population", path, "--format", "json"]
        elif kind == "clinic":
            args = ["leaflet", "--profile", str(self.root / "examples/profile.json"), "--clinic", path]
        elif kind == "model":
            args = ["model", "--model", path, "--format", "json"]
        elif kind == "partial-summary":
            args = ["merge", path]
        else:
            raise ValueError(kind)
        status, out, err = self.run(args)
        if status not in (0, 2):
            self.failures.append(f"{kind}: the loader exited {status}:\n{err}\n    document: {json.dumps(document)[:800]}")
        lines = [line for line in err.splitlines() if line and line != "aftermath: bad input"]
        return status == 0, lines

    def agree(self, kind, document, context=None, what="input", expect=None):
        """Both verdicts on one input; True when both accept."""
        schema_problems = self.schema_errors(kind, document)
        accepted, lines = self.load(kind, document, context or {})
        label = f"{kind} {what}"
        if expect is not None and (accepted or not schema_problems) and expect is False:
            self.failures.append(f"{label}: must be refused by both\n    " +
                                 fail_text(document, schema_problems or "accepts", lines or "accepts"))
            return False
        if accepted and schema_problems:
            self.failures.append(f"{label}: the schema refuses what the loader accepts\n    " +
                                 fail_text(document, schema_problems, "accepts"))
        elif not accepted and not schema_problems:
            unexplained = []
            for line in lines:
                used = [i for i, (k, p, _, _) in enumerate(ALLOWED) if k == kind and re.search(p, line)]
                self.used.update(used)
                if not used:
                    unexplained.append(line)
            if unexplained:
                self.failures.append(f"{label}: the schema accepts what the loader refuses\n    " +
                                     fail_text(document, "accepts", unexplained))
            else:
                self.counts["allowed"] += 1
                if self.verbose:
                    print(f"allowed: {label}: {lines}")
        return accepted and not schema_problems

    def output(self, kind, args, what):
        status, out, err = self.run(args)
        if status != 0:
            self.failures.append(f"{kind} output of {' '.join(args)} exited {status}: {err}")
            return None
        document = json.loads(out)
        problems = self.schema_errors(kind, document)
        if problems:
            self.failures.append(f"{kind} output of {what} ({' '.join(args)}) does not validate:\n    " + "\n    ".join(problems[:10]))
        self.counts["outputs"] += 1
        return document

    # ---- 1. the schemas themselves
    def check_schemas(self):
        files = sorted(p.name for p in (self.root / "schemas").glob("*"))
        if files != sorted(f"{n}.schema.json" for n in NAMES):
            self.failures.append(f"schemas/ holds {files}, not one file per document")
        for name, schema in self.schemas.items():
            Draft202012Validator.check_schema(schema)
            if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema" or schema.get("$id") != f"{BASE}{name}.schema.json":
                self.failures.append(f"{name}: $schema or $id is not the draft 2020-12 one under {BASE}")
            if not schema.get("title") or not schema.get("description"):
                self.failures.append(f"{name}: needs a title and a description")
            for where in undescribed(schema, name):
                self.failures.append(f"{name}: property without a description at {where}")
            status, out, err = self.run(["schema", name])
            if status != 0 or out != (self.root / "schemas" / f"{name}.schema.json").read_text():
                self.failures.append(f"aftermath schema {name} does not print schemas/{name}.schema.json (exit {status}) {err}")
            self.counts["schemas"] += 1
        status, out, err = self.run(["schema", "projections"])
        if status != 2 or "bad input" not in err or not all(n in err for n in NAMES):
            self.failures.append(f"aftermath schema projections: exit {status} (must be 2, naming every schema): {err}")

    def check_docs_example(self):
        """The Python block of docs/schemas.md prints the block after it."""
        blocks, _, _ = check_docs.split_markdown((self.root / "docs/schemas.md").read_text())
        at = [i for i, block in enumerate(blocks) if block.info.strip() == "python"]
        if len(at) != 1 or at[0] + 1 >= len(blocks):
            self.failures.append("docs/schemas.md: needs one python block followed by the block it prints")
            return
        code, shown = blocks[at[0]], blocks[at[0] + 1]
        result = subprocess.run([sys.executable, "-c", "\n".join(code.lines)], capture_output=True, text=True, cwd=self.root, timeout=60)
        if result.returncode != 0 or result.stdout.rstrip("\n").split("\n") != shown.lines:
            self.failures.append(f"docs/schemas.md:{code.line}: the example prints\n{result.stdout}{result.stderr}\n    not\n" +
                                 "\n".join(shown.lines))

    # ---- 2 and 3. inputs and outputs
    def documents_in_docs(self):
        """(file, line, schema target, document) for each JSON document of README.md and docs/*.md."""
        found = []
        for path in [self.root / "README.md"] + sorted((self.root / "docs").glob("*.md")):
            blocks, _, _ = check_docs.split_markdown(path.read_text())
            for block in blocks:
                try:
                    value = json.loads("\n".join(block.lines))
                except ValueError:
                    continue
                target = classify(value)
                if target:
                    found.append((path.relative_to(self.root), block.line, target, value))
        return found

    def run_all(self, seed):
        rng = random.Random(seed)
        examples = self.root / "examples"
        corpus = self.root / "tests/fuzz/corpus"
        docs_dir = self.root / "tests/docs"
        read = lambda p: json.loads(p.read_text())  # noqa: E731
        profile = read(examples / "profile.json")

        valid = {name: [] for name in NAMES}  # (label, document, context)

        def take(kind, label, document, context=None, expect=None):
            self.counts["inputs"] += 1
            if self.agree(kind, document, context, what=label, expect=expect) and expect is None:
                valid[kind].append((label, document, context or {}))

        take("model", "src/models/mesotherapy_face.json", read(self.root / "src/models/mesotherapy_face.json"))
        for p in sorted(examples.glob("*.json")) + sorted(docs_dir.glob("*.json")):
            label, document = str(p.relative_to(self.root)), read(p)
            kind = classify(document)
            if kind is None or kind.startswith(BASE):
                self.failures.append(f"{label}: not one of the documents; classify() must learn it")
                continue
            take(kind, label, small_population(document) if kind == "population" else document, {"profile": profile},
                 expect=False if p.name in BAD_EXAMPLES else None)

        kinds = {"profile": "profile", "reports": "reports", "plan_request": "plan-request", "population": "population",
                 "model": "model", "partial": "partial-summary"}
        corpus_profile = read(corpus / "profile/assessment-example.json")
        for folder, kind in kinds.items():
            for p in sorted((corpus / folder).glob("*.json")):
                document = read(p)
                if kind == "population":
                    document = small_population(document)
                context = {"profile": corpus_profile if "assessment" in p.name else profile}
                take(kind, str(p.relative_to(self.root)), document, context, expect=False if p.name.startswith("refused-") else None)

        for path, line, target, document in self.documents_in_docs():
            label = f"{path}:{line}"
            if target.startswith(BASE):  # a part of a document: the schema only
                self.counts["inputs"] += 1
                for problem in self.schema_errors(target, document):
                    self.failures.append(f"{label}: does not validate against {target}: {problem}")
            elif target in ("plan", "cohort-summary", "projection", "assessment"):
                self.counts["outputs"] += 1
                for problem in self.schema_errors(target, document)[:5]:
                    self.failures.append(f"{label}: a {target} shown in the docs does not validate: {problem}")
            else:
                if target == "population":
                    document = small_population(document)
                take(target, label, document, {"profile": profile})

        for kind, pattern, reason, example in ALLOWED:
            if example is None:
                continue
            self.counts["inputs"] += 1
            schema_problems = self.schema_errors(kind, example)
            accepted, lines = self.load(kind, example, {"profile": profile})
            if schema_problems or accepted or not any(re.search(pattern, line) for line in lines):
                self.failures.append(f"the ALLOWED example for {kind} /{pattern}/ must be accepted by the schema and refused by the "
                                     f"loader for that reason\n    " + fail_text(example, schema_problems or "accepts", lines or "accepts"))
            else:
                self.agree(kind, example, {"profile": profile}, what=f"example of an ALLOWED refusal ({reason})")

        generated = Generator(rng)
        for k in range(25):
            take("profile", f"generated profile {k}", generated.profile())
        for label, document, _ in list(valid["profile"]):
            reports = generated.reports(document)
            if reports:
                take("reports", f"generated reports for {label}", reports, {"profile": document})
        for k in range(12):
            take("plan-request", f"generated planning request {k}", generated.plan_request())
        for k in range(12):
            take("population", f"generated population {k}", generated.population())
        take("clinic", "generated clinic", generated.clinic())

        # Outputs of what loaded.
        for label, document, _ in valid["profile"]:
            path = self.write("profile-out.json", document)
            self.output("projection", ["project", "--profile", path, "--format", "json"], label)
        self.output("projection", ["demo", "--format", "json", "--out", str(self.tmp / "demo")], "demo (gate warnings)")
        for label, document, context in valid["reports"]:
            self.output("assessment", ["assess", "--profile", self.write("p.json", context["profile"]), "--reports",
                                       self.write("r.json", document), "--format", "json"], label)
        for label, document, _ in valid["plan-request"]:
            self.output("plan", ["plan", "--request", self.write("q.json", document), "--dtstamp", DTSTAMP, "--format", "json"], label)
        populations = [(label, document) for label, document, _ in valid["population"]]
        compare_with = self.write("compare.json", small_population(read(docs_dir / "pop-weekly.json")))
        for k, (label, document) in enumerate(populations):
            path = self.write(f"pop{k}.json", document)
            self.output("cohort-summary", ["simulate", "--population", path, "--format", "json"], label)
            if k % 3 == 0:
                self.output("cohort-summary", ["simulate", "--population", path, "--replicates", "2", "--format", "json"], label + " --replicates 2")
                self.output("cohort-summary", ["simulate", "--population", path, "--compare", compare_with, "--seed", "42", "-n", "100",
                                               "--format", "json"], label + " --compare")
                self.output("cohort-summary", ["simulate", "--population", path, "--compare", compare_with, "--replicates", "2",
                                               "--seed", "42", "-n", "100", "--format", "json"], label + " --compare --replicates 2")
                shards = []
                for i in (1, 2):
                    if self.output("partial-summary", ["simulate", "--population", path, "--shard", f"{i}/2", "--format", "json"],
                                   f"{label} --shard {i}/2") is not None:
                        status, out, _ = self.run(["simulate", "--population", path, "--shard", f"{i}/2", "--format", "json"])
                        shards.append(self.write(f"shard{k}-{i}.json", out))
                        valid["partial-summary"].append((f"{label} shard {i}/2", json.loads(out), {}))
                if len(shards) == 2:
                    self.output("cohort-summary", ["merge"] + shards + ["--format", "json"], label + " merged")
                replicated = self.output("partial-summary", ["simulate", "--population", path, "--replicates", "2", "--shard", "1/1",
                                                             "--format", "json"], label + " --replicates 2 --shard 1/1")
                if replicated is not None:
                    valid["partial-summary"].append((f"{label} replicated shard", replicated, {}))
        model_out = self.output("model", ["model", "--format", "json"], "the default model")
        lean = corpus / "model/lean.json"
        self.output("model", ["model", "--model", str(lean), "--format", "json"], "the lean model")
        if model_out is not None:
            take("model", "aftermath model --format json", model_out)

        # Diaries: the agreed shape, built from profiles and reports that load.
        diaries = {"patients": [{"profile": context["profile"], "reports": document["reports"]}
                                for _, document, context in valid["reports"]]}
        self.counts["inputs"] += 1
        for problem in self.schema_errors("diaries", diaries):
            self.failures.append(f"diaries built from loaded profiles and reports does not validate: {problem}")
        for broken in ({"patients": [{"profile": profile}]}, {"patients": [{"profile": {"sessions": []}, "reports": diaries["patients"][0]["reports"]}]},
                       {"patients": [{"profile": profile, "reports": [{"symptom": "bruising", "severity": 2}]}]}):
            self.counts["inputs"] += 1
            if not self.schema_errors("diaries", broken):
                self.failures.append(f"diaries schema accepts a broken document: {json.dumps(broken)}")

        # 4. Mutations of what loaded.
        budget = {"profile": 170, "reports": 170, "plan-request": 170, "population": 170, "clinic": 60, "model": 170,
                  "partial-summary": 60}
        for kind in ["profile", "reports", "plan-request", "population", "clinic", "model", "partial-summary"]:
            bases = valid[kind]
            if kind == "model":
                bases = [(str(lean.relative_to(self.root)), read(lean), {}), (str((corpus / "model/small.json").relative_to(self.root)),
                                                                               read(corpus / "model/small.json"), {})]
            if kind == "partial-summary":  # merge reads one file when it holds every patient
                bases = self.whole_shards(valid) + [b for b in bases if "replicated" in b[0]][:1]
            per_base = max(8, budget[kind] // max(1, len(bases)))
            for label, document, context in bases:
                candidates = list(mutations(document))
                rng.shuffle(candidates)
                for change, path, how in candidates[:per_base]:
                    self.counts["mutations"] += 1
                    self.agree(kind, mutated(document, path, how), context, what=f"mutation of {label} ({change})")

    def whole_shards(self, valid):
        """A partial summary of every patient (--shard 1/1) of the first population, for merge alone."""
        label, document, _ = valid["population"][0]
        status, out, _ = self.run(["simulate", "--population", self.write("whole.json", document), "--shard", "1/1", "--format", "json"])
        return [(label + " --shard 1/1", json.loads(out), {})] if status == 0 else []


def undescribed(schema, where):
    """Paths of properties that have no description (a $ref's target may carry it)."""
    out = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    if isinstance(sub, dict) and "description" not in sub and not is_range_override(schema, name):
                        out.append(f"{where}/properties/{name}")
                    out += undescribed(sub, f"{where}/properties/{name}")
            else:
                out += undescribed(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            out += undescribed(value, f"{where}/{i}")
    return out


def is_range_override(schema, name):
    """A parameter's range beside its $ref ({"$ref": parameter, "properties": {"value": {range}}})
    and conditional subschemas (if/then, anyOf) restate properties already described."""
    return "$ref" in schema or "description" not in schema and "type" not in schema


def small_population(document):
    """The population with few patients, so that the loader's run costs milliseconds."""
    document = copy.deepcopy(document)
    if isinstance(document, dict) and isinstance(document.get("n"), int):
        document["n"] = min(document["n"], 200)
    return document


def abridged(value):
    """Whether a block shows a document with members left out (a "..." key); a text shown as
    "..." is still a string where a string belongs."""
    if isinstance(value, dict):
        return "..." in value or any(abridged(v) for v in value.values())
    if isinstance(value, list):
        return any(abridged(v) for v in value)
    return False


def classify(value):
    """Which schema a JSON block of the docs is, or None for a fragment of no known kind."""
    if not isinstance(value, dict) or abridged(value):
        return None
    keys = set(value)
    model = BASE + "model.schema.json#/properties/"
    if keys == {"reports"}:
        return "reports"
    if {"profile", "protocol", "earliest"} <= keys:
        return "plan-request"
    if {"name", "phone"} <= keys:
        return "clinic"
    if "patients" in keys and isinstance(value["patients"], list):
        return "diaries"
    if "partial_summary" in keys:
        return "partial-summary"
    if {"feasible", "items"} <= keys:
        return "plan"
    if "triage" in keys:
        return "assessment"
    if "sweep" in keys or "any_effect" in keys:
        return "cohort-summary"
    if {"effects", "horizon_days"} <= keys:
        return "projection"
    if keys & {"protocol", "sessions_days"} and keys & {"n", "seed", "risk_factors", "profiles"}:
        return "population"
    if "sessions" in keys and keys <= {"patient", "treatment", "protocol", "risk_factors", "procedure", "sessions"}:
        return "profile"
    if {"incidence", "curve", "variability"} <= keys:
        return model + "effects/items"
    if "category" in keys and "targets" in keys:
        return model + "modifiers/items"
    if {"probability", "onset_days"} <= keys:
        return model + "risks/items"
    if {"level", "when"} <= keys:
        return model + "red_flags/items"
    return None


# ---- mutations
UNKNOWN = "zz_not_a_name"


def paths(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, path + (key,))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from paths(inner, path + (i,))


def replaced(document, path, new=None, drop=False, add=None):
    out = copy.deepcopy(document)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    if add is not None:
        target = parent[path[-1]] if path else out
        target[add] = 1
    elif drop:
        del parent[path[-1]]
    elif path:
        parent[path[-1]] = new
    else:
        out = new
    return out


def mutations(document):
    """(what changed, path, change): one structural change each, applied by mutated()."""
    for path, value in paths(document):
        where = ".".join(str(p) for p in path) or "(top level)"
        if isinstance(value, dict):
            yield f"unknown key in {where}", path, ("add", UNKNOWN)
            for key in value:
                yield f"drop {where}.{key}", path + (key,), ("drop", None)
            if path:
                yield f"{where} an array", path, ("set", [value])
        if not path:
            continue
        if isinstance(value, bool):
            yield f"{where} a string", path, ("set", "true")
        elif isinstance(value, (int, float)):
            yield f"{where} a string", path, ("set", str(value))
            yield f"{where} negative", path, ("set", -1000000 if isinstance(value, int) else -1e6)
            yield f"{where} huge", path, ("set", 10**12 if isinstance(value, int) else 1e12)
            if float(value).is_integer() and abs(value) < 2**52:
                yield f"{where} a fraction", path, ("set", value + 0.5)
        elif isinstance(value, str):
            yield f"{where} a number", path, ("set", 7)
            yield f"{where} an unknown name", path, ("set", UNKNOWN)
            yield f"{where} empty", path, ("set", "")
        elif isinstance(value, list):
            yield f"{where} an object", path, ("set", {"x": value})
            yield f"{where} empty", path, ("set", [])
        elif value is None:
            yield f"{where} a number", path, ("set", 0)


def mutated(document, path, change):
    op, arg = change
    if op == "add":
        return replaced(document, path, add=arg)
    if op == "drop":
        return replaced(document, path, drop=True)
    return replaced(document, path, arg)


class Generator:
    """Inputs from the model's ids, seeded: what a clinic's software might send."""

    def __init__(self, rng):
        self.rng = rng
        model = make_fuzz_inputs.MODEL
        self.patient = [m["id"] for m in model["modifiers"] if m["category"] == "patient"]
        self.procedure = [m["id"] for m in model["modifiers"] if m["category"] == "procedure"]
        self.medicines = [m["id"] for m in model["modifiers"] if "washout" in m]
        self.protocols = make_fuzz_inputs.ids("protocols")
        self.effects = make_fuzz_inputs.ids("effects")
        self.flags = make_fuzz_inputs.ids("report_flags")
        self.holidays = [s["id"] for s in make_fuzz_inputs.HOLIDAYS["holiday_sets"]]

    def date(self, day):
        import datetime
        return (datetime.date(2026, 12, 1) + datetime.timedelta(days=day)).isoformat()

    def profile(self):
        r = self.rng
        factors = []
        for factor in r.sample(self.patient, r.randint(0, 3)):
            if factor in self.medicines and r.random() < 0.5:
                factors.append({"id": factor, "stopped_on": self.date(-r.randint(1, 12))})
            else:
                factors.append(factor)
        day, sessions = 0, []
        for _ in range(r.randint(1, 4)):
            sessions.append({"date": self.date(day), "time": f"{r.randint(8, 18):02d}:{r.choice([0, 15, 30, 45]):02d}"}
                            if r.random() < 0.3 else self.date(day))
            day += r.randint(14, 35)
        out = {"patient": f"gen-{r.randint(0, 999)}", "risk_factors": factors, "sessions": sessions}
        if r.random() < 0.5:
            out["procedure"] = r.sample(self.procedure, r.randint(0, len(self.procedure)))
        if r.random() < 0.5:
            out["treatment"] = "mesotherapy_face"
        return out

    def reports(self, profile):
        r = self.rng
        reports = []
        for _ in range(r.randint(1, 5)):
            report = {"day": round(r.uniform(0.5, 10), 2), "symptom": r.choice(self.effects)}
            scale = r.choice([None, "whole_0_10", "real_0_10", "grade_0_4", "category"])
            if scale in (None, "whole_0_10"):
                report["severity"] = r.randint(0, 6)
            elif scale == "real_0_10":
                report["severity"] = round(r.uniform(0, 6), 1)
            elif scale == "grade_0_4":
                report["severity"] = r.randint(0, 3)
            else:
                report["severity"] = r.choice(["none", "mild", "moderate"])
            if scale:
                report["scale"] = scale
            if r.random() < 0.3:
                report["flags"] = r.sample(self.flags, r.randint(0, 2))
            reports.append(report)
        return {"reports": reports}

    def plan_request(self):
        r = self.rng
        weekdays = r.sample(["Mon", "tue", "Wednesday", "THU", "Fri", "Sat"], r.randint(3, 6))
        profile = self.profile()
        if r.random() < 0.6:
            del profile["sessions"]
        out = {"profile": profile, "protocol": r.choice(self.protocols), "earliest": self.date(r.randint(60, 90) + 160),
               "calendar": {"open_weekdays": weekdays, "closures": [self.date(r.randint(200, 260))],
                            "holidays": r.sample(self.holidays, r.randint(0, 2)) + r.choice([[], [{"name": "Clinic day", "month": 6, "day": 1}],
                                                                                             [{"name": "Easter Monday", "easter_offset": 1}]])},
               "medication_pause_approved": r.random() < 0.5}
        if r.random() < 0.5:
            out["unavailable"] = [{"from": self.date(250), "to": self.date(250 + r.randint(0, 10))}]
        if r.random() < 0.5:
            out["events"] = [{"date": self.date(r.randint(300, 400)), "name": "wedding", "require": "no_visible_side_effects",
                              "confidence": round(r.uniform(0.5, 0.95), 2)}]
        if r.random() < 0.3:
            out["sessions"] = r.randint(1, 5)
        return out

    def population(self):
        r = self.rng
        out = {"n": r.randint(20, 200), "seed": r.randint(0, 2**64 - 1)}
        if r.random() < 0.5:
            out["protocol"] = r.choice(self.protocols)
        else:
            day, days = 0, []
            for _ in range(r.randint(1, 5)):
                days.append(day)
                day += r.randint(7, 30)
            out["sessions_days"] = days
        if r.random() < 0.7:
            factors = {}
            for factor in r.sample(self.patient, r.randint(0, 4)):
                if factor in self.medicines and r.random() < 0.5:
                    key = r.choice(["stopped_days_before", "paused_days_before_each_session"])
                    factors[factor] = {"prevalence": round(r.random(), 2), key: r.randint(0, 10)}
                else:
                    factors[factor] = round(r.random(), 2)
            out["risk_factors"] = factors
        else:
            out["profiles"] = [{"name": f"kind {g}", "weight": r.randint(1, 5),
                                "risk_factors": r.sample(self.patient, r.randint(0, 2))} for g in range(r.randint(1, 3))]
        if r.random() < 0.3:
            out["procedure"] = r.sample(self.procedure, 1)
        if r.random() < 0.3:
            out["horizon_days"] = r.randint(10, 90)
        return out

    def clinic(self):
        return {"name": "Clinic of the generator", "phone": "+44 (0)20 7946 0000", "address": "1 High Street",
                "wording": {"durations": {"day": "{n} day"}}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True, type=pathlib.Path)
    parser.add_argument("--root", default=ROOT, type=pathlib.Path)
    parser.add_argument("--seed", default=20261201, type=int)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    checker = Checker(args.cli.resolve(), args.root.resolve(), args.verbose)
    try:
        checker.check_schemas()
        checker.check_docs_example()
        checker.run_all(args.seed)
    finally:
        shutil.rmtree(checker.tmp, ignore_errors=True)
    c = checker.counts
    print(f"{c['schemas']} schemas; {c['inputs']} inputs checked against their loaders, {c['outputs']} outputs validated, "
          f"{c['mutations']} mutations ({c['allowed']} refusals the schemas leave to the loaders, each listed in ALLOWED)")
    for i, (kind, pattern, _, _) in enumerate(ALLOWED):
        if i not in checker.used:
            checker.failures.append(f"ALLOWED entry that no document needed: {kind}: {pattern}")
    if checker.failures:
        print(f"\n{len(checker.failures)} disagreements:")
        for failure in checker.failures:
            print("- " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
