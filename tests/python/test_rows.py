"""simulate(rows=True): the per-patient rows of the command's --rows CSV as a DataFrame, built
from columns collected in C++ (no CSV, no file), beside the same summary."""

import numpy as np
import pandas as pd

import aftermath
from conftest import read_json, source_file

POPULATION = "tests/docs/pop.json"


def read_rows_csv(path):
    """The command's CSV as pandas reads it: labels as text, an empty resolution as NaN."""
    return pd.read_csv(path, dtype={"group": str, "effect": str, "sessions": str}, keep_default_na=False,
                       na_values={"resolved_after_last_days": [""]})


def test_rows_equal_the_commands_csv(cli, tmp_path):
    summary, rows = aftermath.simulate(read_json(POPULATION), n=800, seed=3, rows=True)
    csv = tmp_path / "rows.csv"
    expected_summary = cli.json("simulate", "--population", source_file(POPULATION), "-n", 800, "--seed", 3, "--rows", csv)
    expected = read_rows_csv(csv)

    assert aftermath.plain(summary) == expected_summary
    assert list(rows.columns) == list(expected.columns)
    assert len(rows) == len(expected) == 800 * 7
    np.testing.assert_array_equal(rows["patient"].to_numpy(), expected["patient"].to_numpy())
    for label in ("group", "effect", "sessions"):
        assert rows[label].astype(str).tolist() == expected[label].tolist(), label
    for days in ("resolved_after_last_days", "visible_days"):
        # The CSV rounds to four decimals; the DataFrame has every digit.
        np.testing.assert_allclose(rows[days].to_numpy(), expected[days].to_numpy(), rtol=0, atol=0.50001e-4)
        assert np.array_equal(np.isnan(rows[days].to_numpy()), np.isnan(expected[days].to_numpy()))


def test_rows_have_the_documented_types():
    _, rows = aftermath.simulate(read_json(POPULATION), n=300, rows=True)
    assert rows["patient"].dtype == np.int64
    assert all(isinstance(rows[label].dtype, pd.CategoricalDtype) for label in ("group", "effect", "sessions"))
    assert list(rows["effect"].cat.categories) == ["redness", "swelling", "bruising", "dryness", "pain", "itching", "any"]
    assert rows["resolved_after_last_days"].dtype == rows["visible_days"].dtype == np.float64
    not_occurred = rows["sessions"] == ""
    assert not_occurred.any()
    assert rows.loc[not_occurred, "resolved_after_last_days"].isna().all()
    assert rows.loc[~not_occurred, "resolved_after_last_days"].notna().all()


def test_the_summary_with_rows_is_the_summary_without(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    population = read_json(POPULATION)
    summary, rows = aftermath.simulate(population, n=100_000, threads=2, rows=True)
    assert aftermath.plain(summary) == aftermath.plain(aftermath.simulate(population, n=100_000, threads=2))
    assert len(rows) == 700_000
    assert rows["patient"].iloc[-1] == 99_999 and rows["patient"].is_monotonic_increasing
    assert list(tmp_path.iterdir()) == []  # nothing written
