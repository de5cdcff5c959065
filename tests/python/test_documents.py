"""Each service from Python gives the command's document: the same JSON, parsed, once the arrays
are lists again (aftermath.plain); and the arrays follow one rule."""

import json

import numpy as np
import pytest

import aftermath
from conftest import read_json, read_text, source_file

PROFILE = "examples/profile.json"
REPORTS = "tests/docs/reports.json"
REQUEST = "tests/docs/plan-request.json"
POPULATION = "tests/docs/pop.json"
CLINIC = "examples/clinic.json"


def test_version_is_the_librarys(cli):
    assert aftermath.__version__ == cli.run("--version").stdout.split()[-1]


def test_project_equals_the_command(cli):
    from_python = aftermath.project(read_json(PROFILE))
    assert aftermath.plain(from_python) == cli.json("project", "--profile", source_file(PROFILE))


def test_a_json_text_gives_what_its_dict_gives():
    assert aftermath.plain(aftermath.project(read_text(PROFILE))) == aftermath.plain(aftermath.project(read_json(PROFILE)))


def test_assess_equals_the_command(cli):
    from_python = aftermath.assess(read_json(PROFILE), read_json(REPORTS))
    assert aftermath.plain(from_python) == cli.json("assess", "--profile", source_file(PROFILE), "--reports", source_file(REPORTS))


def test_plan_equals_the_command(cli):
    assert aftermath.plain(aftermath.plan(read_json(REQUEST))) == cli.json("plan", "--request", source_file(REQUEST))


def test_plan_with_a_clinic_equals_the_command(cli):
    from_python = aftermath.plan(read_json(REQUEST), clinic=read_json(CLINIC))
    assert aftermath.plain(from_python) == cli.json("plan", "--request", source_file(REQUEST), "--clinic", source_file(CLINIC))


def test_simulate_equals_the_command(cli):
    from_python = aftermath.simulate(read_json(POPULATION), n=20000, seed=7)
    assert aftermath.plain(from_python) == cli.json("simulate", "--population", source_file(POPULATION), "-n", 20000, "--seed", 7)


def test_model_document_equals_the_command(cli):
    assert aftermath.plain(aftermath.model_document()) == cli.json("model")


def test_leaflet_is_the_commands_pages(cli, tmp_path):
    leaflet = aftermath.leaflet(read_json(PROFILE), clinic=read_json(CLINIC))
    result = cli.run("leaflet", "--profile", source_file(PROFILE), "--clinic", source_file(CLINIC), "--html", tmp_path / "page.html")
    assert result.returncode == 0, result.stderr
    assert leaflet["html"] == (tmp_path / "page.html").read_text(encoding="utf-8")
    markdown = cli.run("leaflet", "--profile", source_file(PROFILE), "--clinic", source_file(CLINIC))
    assert leaflet["markdown"] == markdown.stdout
    assert ["aftermath: for the clinic: " + w for w in leaflet["clinic_warnings"]] == result.stderr.splitlines()


def test_another_model_is_used(cli, tmp_path):
    edited = aftermath.model_document()
    edited["version"] = "edited"
    bruising = next(e for e in edited["effects"] if e["id"] == "bruising")
    bruising["incidence"]["value"] = 0.05
    (tmp_path / "model.json").write_text(json.dumps(aftermath.plain(edited)), encoding="utf-8")
    model = aftermath.Model(edited)
    expected = cli.json("project", "--profile", source_file(PROFILE), "--model", tmp_path / "model.json")
    assert aftermath.plain(model.project(read_json(PROFILE))) == expected
    assert aftermath.plain(aftermath.project(read_json(PROFILE), model=json.dumps(aftermath.plain(edited)))) == expected
    assert expected["model"]["version"] == "edited"


def test_curves_are_columns_of_equal_length_float_arrays():
    projection = aftermath.project(read_json(PROFILE))
    for effect in projection["effects"]:
        curve = effect["curve"]
        assert isinstance(curve, aftermath.Columns)
        assert list(curve) == ["day", "p05", "p50", "p95", "p_visible"]
        lengths = {len(column) for column in curve.values()}
        assert len(lengths) == 1 and lengths.pop() > 30
        assert all(column.dtype == np.float64 for column in curve.values())
        assert np.all(np.diff(curve["day"]) > 0)
        assert np.all(curve["p05"] <= curve["p95"])
    assert isinstance(projection["results"]["curve"], aftermath.Columns)
    assert isinstance(projection["session_days"], np.ndarray)
    assert projection["sessions"] == ["2026-12-01", "2026-12-15"]  # strings stay lists


def test_histograms_and_daily_series_are_arrays():
    summary = aftermath.simulate(read_json(POPULATION), n=5000)
    for effect in summary["effects"] + [summary["any_effect"]]:
        assert effect["p_visible_by_day"].dtype == np.float64
        assert len(effect["p_visible_by_day"]) == summary["horizon_days"] + 1
        per_day = effect["visible_days"]["per_day"]
        assert per_day.dtype == np.int64
        assert per_day.sum() == effect["visible_days"]["patients"]


def test_a_document_goes_back_in_as_it_came_out():
    request = read_json(REQUEST)
    projection = aftermath.project(read_json(PROFILE))
    request["profile"]["risk_factors"] = list(np.array(request["profile"]["risk_factors"]))  # NumPy strings in
    request["note_days"] = projection["session_days"]  # arrays in: written as lists (and refused as unknown)
    with pytest.raises(aftermath.InputError) as raised:
        aftermath.plan(request)
    assert [path for path, _ in raised.value.problems] == ["note_days"]
