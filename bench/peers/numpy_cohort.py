#!/usr/bin/python3
"""The cohort simulation as a researcher would write it in NumPy: vectorised over patients,
severity evaluated on a time grid. Same model (the personal courses are read from a file the
benchmark writes), same n, same summaries: per effect and for any effect, the chance per
session, resolution time after the last session (patients affected) and days visible (every
patient) as 1/32-day histograms with p05/p50/p95/mean, and the daily chance of being visible.

Differences from aftermath's kernel, stated: crossings are read off a grid of `--step` days
(0.05 by default), not solved exactly; the grid ends `--tail` days after the last session.

usage: /usr/bin/python3 numpy_cohort.py COURSES.json [--step 0.05] [--tail 90] [--batch 2000]
Prints the summary as JSON; "compute_seconds" excludes start-up and reading the file.
"""
import argparse
import json
import time

import numpy as np

BINS_PER_DAY = 32
BINS = 512 * BINS_PER_DAY


def shape(effect, u):
    """Normalised Bateman shape at times u after the lag (0 before it)."""
    u = np.maximum(u, 0.0)
    return (np.exp(-effect["ke"] * u) - np.exp(-effect["ka"] * u)) / effect["height"]


def histogram(values):
    bins = np.minimum((values * BINS_PER_DAY).astype(np.int64), BINS)
    return np.bincount(bins, minlength=BINS + 1)


def summary(counts, total_sum):
    total = counts.sum()
    if total == 0:
        return {"patients": 0}
    cumulative = np.cumsum(counts[:BINS])
    out = {"patients": int(total), "mean": total_sum / total}
    for name, q in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
        b = int(np.searchsorted(cumulative, q * total))
        below = cumulative[b - 1] if b > 0 else 0
        out[name] = (b + (q * total - below) / counts[b]) / BINS_PER_DAY if b < BINS else None
    return out


class tally:
    def __init__(self, sessions, horizon):
        self.occurrences = np.zeros(sessions, dtype=np.int64)
        self.affected = 0
        self.resolution = np.zeros(BINS + 1, dtype=np.int64)
        self.resolution_sum = 0.0
        self.visible = np.zeros(BINS + 1, dtype=np.int64)
        self.visible_sum = 0.0
        self.on_day = np.zeros(horizon + 1, dtype=np.int64)

    def add(self, occurs, above_visible, above_resolved, grid, step, day_index, last):
        affected = occurs.any(axis=1)
        self.occurrences += occurs.sum(axis=0)
        self.affected += int(affected.sum())
        visible_days = above_visible.sum(axis=1) * step
        self.visible += histogram(visible_days)
        self.visible_sum += visible_days.sum()
        # Last grid time at or above the resolved threshold.
        last_above = np.where(above_resolved.any(axis=1), grid[grid.size - 1 - np.argmax(above_resolved[:, ::-1], axis=1)], 0.0)
        resolved = np.maximum(last_above - last, 0.0)[affected]
        self.resolution += histogram(resolved)
        self.resolution_sum += resolved.sum()
        self.on_day += above_visible[:, day_index].sum(axis=0)

    def report(self, n):
        return {"incidence_per_session": float(self.occurrences.sum() / (n * self.occurrences.size)),
                "probability": self.affected / n,
                "resolution_days": summary(self.resolution, self.resolution_sum),
                "visible_days": summary(self.visible, self.visible_sum),
                "p_visible_by_day": (self.on_day / n).tolist()}


def simulate(courses, step, tail, batch):
    rng = np.random.default_rng(courses["seed"])
    n, effects, groups = courses["n"], courses["effects"], courses["groups"]
    starts = np.array(courses["session_days"], dtype=float)
    last, horizon = starts[-1], courses["horizon_days"]
    grid = np.arange(0.0, last + tail, step)
    day_index = np.searchsorted(grid, np.arange(horizon + 1) - 1e-9)
    prevalence = np.array(courses["prevalences"])
    tallies = [tally(starts.size, horizon) for _ in range(len(effects) + 1)]
    for first in range(0, n, batch):
        b = min(batch, n - first)
        z = rng.standard_normal(b)
        kind = (rng.random((b, prevalence.size)) < prevalence) @ (1 << np.arange(prevalence.size))
        any_visible = np.zeros((b, grid.size), dtype=bool)
        any_resolved = np.zeros((b, grid.size), dtype=bool)
        any_occurs = np.zeros((b, starts.size), dtype=bool)
        for e, effect in enumerate(effects):
            p = np.array([groups[g]["occurrence"][e] for g in range(len(groups))])[kind]
            amplitude = np.array([groups[g]["amplitude"][e] for g in range(len(groups))])[kind]
            scale = np.array([groups[g]["time_scale"][e] for g in range(len(groups))])[kind]
            occurs = rng.random((b, starts.size)) < p
            peak = np.exp(effect["peak_sd"] * rng.standard_normal(b))
            healing = np.exp(effect["healing_sd"] * z)
            severity = np.zeros((b, grid.size))
            for j in range(starts.size):
                u = (grid[None, :] - starts[j] - effect["lag"]) / (scale[:, j] * healing)[:, None]
                severity += (occurs[:, j] * amplitude[:, j] * peak)[:, None] * shape(effect, u)
            severity = np.minimum(severity, 10.0)
            above_visible = severity >= courses["visible"]
            above_resolved = severity >= courses["resolved"]
            tallies[e].add(occurs, above_visible, above_resolved, grid, step, day_index, last)
            any_visible |= above_visible
            any_resolved |= above_resolved
            any_occurs |= occurs
        tallies[-1].add(any_occurs, any_visible, any_resolved, grid, step, day_index, last)
    names = [effect["id"] for effect in effects] + ["any"]
    return {name: t.report(n) for name, t in zip(names, tallies)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("courses")
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--tail", type=float, default=90.0)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    with open(args.courses) as f:
        courses = json.load(f)
    started = time.perf_counter()
    result = simulate(courses, args.step, args.tail, args.batch)
    result["compute_seconds"] = time.perf_counter() - started
    print(json.dumps(result))


if __name__ == "__main__":
    main()
