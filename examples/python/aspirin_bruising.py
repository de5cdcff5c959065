# %% [markdown]
# # Does stopping aspirin 3 days before the first session leave patients bruising longer?
#
# A research question answered end to end on virtual patients: simulate a cohort in which some
# patients stopped aspirin three days before their first session (most stop it a week or more
# before), take the per-patient rows as a pandas DataFrame, and compare the bruising of those
# who stopped late with those who took no aspirin. Cells are marked `# %%`: open the file in
# Jupyter (jupytext) or VS Code as a notebook, or run it as a script:
#
#     PYTHONPATH=build/release/python /usr/bin/python3 examples/python/aspirin_bruising.py
#
# These are model estimates, not medical advice.

# %%
import numpy as np

import aftermath

# %% [markdown]
# ## The cohort
# Four sessions of the `face_initial` protocol; 30 % of patients stopped aspirin 3 days before
# the first session, 15 % bruise easily, each drawn independently.

# %%
population = {
    "protocol": "face_initial",
    "n": 40_000,
    "seed": 2026,
    "risk_factors": {"bruise_prone": 0.15, "aspirin": {"prevalence": 0.30, "stopped_days_before": 3}},
}
summary, rows = aftermath.simulate(population, rows=True)
print(f"{summary['n']} virtual patients, {len(summary['sessions_days'])} sessions, {len(rows)} rows")

# %% [markdown]
# ## One row per patient for bruising, labelled by aspirin
# `group` names each patient's risk factors (`none`, `aspirin`, `bruise_prone+aspirin`, ...).

# %%
bruising = rows[rows["effect"] == "bruising"].copy()
bruising["aspirin"] = np.where(bruising["group"].astype(str).str.contains("aspirin"),
                               "stopped 3 days before", "no aspirin")
bruising["bruised"] = bruising["sessions"] != ""

table = bruising.groupby("aspirin").agg(
    patients=("patient", "size"),
    bruised=("bruised", "mean"),
    visible_days_mean=("visible_days", "mean"),
    visible_days_sd=("visible_days", "std"),
)
print(table.round(3).to_string())

# %% [markdown]
# ## The answer, with a 95 % interval
# The difference of the mean visible days of bruising between the two groups, with its normal
# approximation interval (the groups are independent draws of the same cohort).

# %%
late, none = table.loc["stopped 3 days before"], table.loc["no aspirin"]
difference = late["visible_days_mean"] - none["visible_days_mean"]
se = np.sqrt(late["visible_days_sd"] ** 2 / late["patients"] + none["visible_days_sd"] ** 2 / none["patients"])
longer_or_shorter = "longer" if difference >= 0 else "shorter"
print(f"Patients who stopped aspirin 3 days before bruise {abs(difference):.2f} days {longer_or_shorter} "
      f"(visible bruising, mean {late['visible_days_mean']:.2f} vs {none['visible_days_mean']:.2f} days; "
      f"95 % interval {difference - 1.96 * se:.2f} to {difference + 1.96 * se:.2f})")
print(summary["notice"])
