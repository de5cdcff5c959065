#!/usr/bin/env python3
"""aftermath-mpi under a real mpirun against aftermath on one process: the same bytes for 1 to 4
ranks with and without threads, rows parts that join into the single run's file, shards and
comparisons, and failures that end every rank at once with one message.

usage: mpi_cli_test.py BUILD_DIR MPIEXEC
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = Path(sys.argv[1])
MPIEXEC = sys.argv[2]
SINGLE = str(BUILD / "aftermath")
MPI = str(BUILD / "aftermath-mpi")
# OpenMPI's switches, as environment so the commands stay those a researcher types: more ranks
# than cores, and root (CI runs as root). Other MPIs ignore them.
# A test run inside a Slurm job must not read that job's array variables.
ENV = {key: value for key, value in os.environ.items() if not key.startswith("SLURM_")}
ENV.update(OMPI_MCA_rmaps_base_oversubscribe="1", OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
POPULATION = {"protocol": "face_initial", "n": 30011, "seed": 42,
              "risk_factors": {"bruise_prone": 0.15, "sensitive_skin": 0.30,
                               "aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}}
failures = []


def run(command, expect=0, timeout=120):
    result = subprocess.run(command, capture_output=True, env=ENV, timeout=timeout)
    if result.returncode != expect:
        raise AssertionError(f"{' '.join(command)}: exit {result.returncode}, expected {expect}\n{result.stderr.decode()}")
    return result


def mpirun(ranks, *args, expect=0):
    return run([MPIEXEC, "-n", str(ranks), MPI, *args], expect=expect)


def check(name, condition, detail=""):
    print(("ok    " if condition else "FAIL  ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


def first_difference(a, b):
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first difference at byte {at} of {len(a)} / {len(b)}"


with tempfile.TemporaryDirectory() as scratch:
    work = Path(scratch)
    population = work / "population.json"
    population.write_text(json.dumps(POPULATION))
    compared = work / "compared.json"
    compared.write_text(json.dumps(dict(POPULATION, risk_factors={"bruise_prone": 0.15, "sensitive_skin": 0.30, "aspirin": 0.10})))
    single_rows = work / "single.csv"
    single_json = run([SINGLE, "simulate", "--population", str(population), "--format", "json", "--rows", str(single_rows)]).stdout
    single_text = run([SINGLE, "simulate", "--population", str(population), "--format", "text"]).stdout
    rows = single_rows.read_bytes()

    for ranks in (1, 2, 3, 4):
        for threads in ("1", "2"):
            out = work / f"k{ranks}t{threads}"
            out.mkdir()
            got = mpirun(ranks, "simulate", "--population", str(population), "--threads", threads, "--format", "json",
                         "--rows", str(out / "rows.csv")).stdout
            check(f"{ranks} ranks, {threads} threads: the summary is the single run's", got == single_json, first_difference(got, single_json))
            parts = sorted(out.glob("rows.rank*-of-*.csv"))
            joined = b"".join(part.read_bytes() for part in parts)
            check(f"{ranks} ranks, {threads} threads: {len(parts)} rows parts join into the single run's rows",
                  len(parts) == ranks and joined == rows, first_difference(joined, rows))
    got = mpirun(3, "simulate", "--population", str(population), "--format", "text").stdout
    check("3 ranks: the text summary is the single run's", got == single_text, first_difference(got, single_text))

    for shard in ("1/3", "3/3"):
        alone = run([SINGLE, "simulate", "--population", str(population), "--shard", shard, "--format", "json"]).stdout
        got = mpirun(2, "simulate", "--population", str(population), "--shard", shard, "--format", "json").stdout
        check(f"2 ranks, --shard {shard}: the partial summary is the single process's", got == alone, first_difference(got, alone))

    alone = run([SINGLE, "simulate", "--population", str(population), "--compare", str(compared), "--format", "json"]).stdout
    got = mpirun(3, "simulate", "--population", str(population), "--compare", str(compared), "--format", "json").stdout
    check("3 ranks, --compare: both summaries are the single run's", got == alone, first_difference(got, alone))

    # Bad input: every rank exits 2, within seconds, and the reason is said once.
    bad = work / "bad.json"
    bad.write_text('{"protocol": "face_final", "n": 10}')
    start = time.monotonic()
    result = mpirun(4, "simulate", "--population", str(bad), expect=2)
    stderr = result.stderr.decode()
    check("a bad population ends all 4 ranks with exit 2 within 10 s", time.monotonic() - start < 10)
    check("... with one message naming the field", stderr.count("unknown protocol 'face_final'") == 1 and "protocol:" in stderr, stderr)

    # One rank cannot write its rows part (a directory is in its way): every rank stops.
    blocked = work / "blocked"
    blocked.mkdir()
    (blocked / "rows.rank1-of-3.patients-10003-20006.csv").mkdir()
    start = time.monotonic()
    result = mpirun(3, "simulate", "--population", str(population), "--rows", str(blocked / "rows.csv"), expect=2)
    stderr = result.stderr.decode()
    check("an unwritable rows part on rank 1 ends all 3 ranks with exit 2 within 10 s", time.monotonic() - start < 10)
    check("... naming the option and the file once", stderr.count("--rows: cannot write") == 1 and "rank1-of-3" in stderr, stderr)
    check("... and no summary on stdout", result.stdout == b"", result.stdout[:200])

    result = mpirun(2, "simulate", "--population", str(population), "--shard", "auto", expect=2)
    check("--shard auto outside a Slurm array names the variable", b"SLURM_ARRAY_TASK_ID" in result.stderr, result.stderr.decode())

if failures:
    sys.exit(f"{len(failures)} checks failed: {', '.join(failures)}")
print("all checks passed")
