"""Bad input raises aftermath.InputError naming what the command names: every problem, each with
its path and message, for every kind of bad document."""

import pickle

import pytest

import aftermath
from conftest import read_json, read_text, source_file


def lines_of(error):
    """The error's problems as the command prints them, less the source in front (the command
    names the file where the module names the document: "profile")."""
    return [": ".join(part for part in (path, message) if part) for path, message in error.problems]


def problems_of(cli, file, *arguments):
    """The command's problems without the file name in front."""
    return [line.removeprefix(f"{file}: ") for line in cli.problems(*arguments)]


def raised_by(call, *arguments, **options):
    with pytest.raises(aftermath.InputError) as raised:
        call(*arguments, **options)
    return raised.value


@pytest.mark.parametrize("text", [
    read_text("tests/docs/bad.json"),  # a date that is not one, an unknown risk factor
    '{"sessions": ["2026-12-01"], "colour": "blue"}',  # an unknown key
    '{"sessions": ["2026-12-01"', # broken JSON
    '{"sessions": []}',
    '[1, 2]',
])
def test_a_bad_profile_names_what_the_command_names(cli, tmp_path, text):
    file = tmp_path / "profile.json"
    file.write_text(text, encoding="utf-8")
    error = raised_by(aftermath.project, text)
    assert lines_of(error) == problems_of(cli, file, "project", "--profile", file)
    assert error.problems and all(record["source"] in ("profile", "") for record in error.records)


def test_a_bad_population_names_what_the_command_names(cli):
    file = source_file("tests/docs/broken-pop.json")
    error = raised_by(aftermath.simulate, read_json("tests/docs/broken-pop.json"))
    assert lines_of(error) == problems_of(cli, file, "simulate", "--population", file)
    assert error.codes == ["malformed", "unknown_id", "out_of_range"]


def test_bad_reports_name_what_the_command_names(cli, tmp_path):
    reports = tmp_path / "reports.json"
    reports.write_text('{"reports": [{"date": "2026-13-03", "symptom": "bruising", "severity": 12}]}', encoding="utf-8")
    error = raised_by(aftermath.assess, read_json("examples/profile.json"), reports.read_text())
    profile = source_file("examples/profile.json")
    assert lines_of(error) == problems_of(cli, reports, "assess", "--profile", profile, "--reports", reports)
    assert len(error.problems) == 2


def test_a_bad_request_names_what_the_command_names(cli, tmp_path):
    request = read_json("tests/docs/plan-request.json")
    request["earliest"] = "2026-12-32"
    request["protocol"] = "face_everything"
    file = tmp_path / "request.json"
    file.write_text(aftermath._json.dumps(request), encoding="utf-8")
    error = raised_by(aftermath.plan, request)
    assert lines_of(error) == problems_of(cli, file, "plan", "--request", file)


def test_a_bad_model_raises_input_error():
    error = raised_by(aftermath.Model, {"id": "nothing"})
    assert error.problems and all(record["source"] == "model" for record in error.records)


@pytest.mark.parametrize("document", [None, 17, ["sessions"], 2.5, object()])
def test_an_input_neither_dict_nor_text_raises_input_error(document):
    error = raised_by(aftermath.project, document)
    assert error.problems == [("", f"must be a dict or its JSON text (str), not {type(document).__name__}")]
    assert error.codes == ["malformed"]


def test_a_dict_that_is_not_json_raises_input_error():
    error = raised_by(aftermath.project, {"sessions": {"2026-12-01"}})
    assert error.problems[0][1].startswith("cannot be written as JSON")
    assert raised_by(aftermath.simulate, {"n": float("nan")}).codes == ["malformed"]


def test_bad_options_of_simulate_raise_input_error():
    population = read_json("tests/docs/pop.json")
    assert raised_by(aftermath.simulate, population, n=-1).problems == [("n", "-1, but must be in [0, 18446744073709551615]")]
    assert raised_by(aftermath.simulate, population, n=0).problems == [("n", "0, but must be in [1, 1000000000]")]
    assert raised_by(aftermath.simulate, population, seed=2**64).records[0]["code"] == "out_of_range"
    assert raised_by(aftermath.simulate, population, threads="2").problems == [("threads", "must be a whole number, not str")]
    with pytest.raises(TypeError):
        aftermath.simulate(population, progress=5)


def test_input_error_is_a_value_error_that_prints_like_the_command_and_pickles():
    error = raised_by(aftermath.project, read_text("tests/docs/bad.json"))
    assert isinstance(error, ValueError)
    assert str(error).splitlines() == ["bad input"] + [f"profile: {path}: {message}" for path, message in error.problems]
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is aftermath.InputError and again.records == error.records
    assert set(error.records[0]) == {"source", "path", "code", "message"}
