#!/usr/bin/python3
"""Runs the Slurm templates in docs/cluster/ without Slurm: each job's commands with bash and
the variables Slurm would set given by hand, against the binaries of one build.

    slurm_templates_test.py BUILD_DIR SOURCE_DIR

BUILD_DIR holds aftermath and aftermath-mpi. Prints one line per check; on the first failure
says what differed and exits 1.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

POPULATION = ('{"protocol": "face_initial", "n": 20000, "seed": 42, "risk_factors": '
              '{"bruise_prone": 0.15, "sensitive_skin": 0.30, '
              '"aspirin": {"prevalence": 0.10, "stopped_days_before": 3}}}\n')

# The arrays the array template is run as: (name, MIN, STEP, COUNT), as sbatch --array would
# set them for 0-7, 1-4 and 0-6:2.
ARRAYS = [("0-7", 0, 1, 8), ("1-4", 1, 1, 4), ("0-6:2", 0, 2, 4)]


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def ok(message):
    print(f"ok: {message}")


def base_env(build):
    """The test's environment with no Slurm variables of its own (it may itself run in a job),
    the build first on PATH, and Open MPI told it may run as root and put more ranks than
    cores on this machine, so that the MPI template needs no test-only flags."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env.pop("AFTERMATH_BIN_DIR", None)
    env["PATH"] = f"{build}{os.pathsep}{env.get('PATH', '')}"
    env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
    if os.geteuid() == 0:
        env["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        env["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    return env


def run(args, env, cwd, what):
    try:
        return subprocess.run(args, env=env, cwd=cwd, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        fail(f"{what}: no answer after 120 s")


def run_ok(args, env, cwd, what):
    result = run(args, env, cwd, what)
    if result.returncode != 0:
        fail(f"{what}: exit {result.returncode}, stderr:\n{result.stderr.decode(errors='replace')}")
    return result


def first_difference(a, b):
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (f"{len(a)} vs {len(b)} bytes, first difference at byte {at}: "
            f"{a[max(0, at - 40):at + 40]!r} vs {b[max(0, at - 40):at + 40]!r}")


def same_bytes(actual, expected, what, against):
    if actual != expected:
        fail(f"{what} differs from {against}: {first_difference(actual, expected)}")
    ok(f"{what} == {against} ({len(actual)} bytes)")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build, source = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    cluster = source / "docs" / "cluster"
    for binary in ("aftermath", "aftermath-mpi"):
        if not os.access(build / binary, os.X_OK):
            fail(f"{build / binary} is not an executable")
    env = base_env(build)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pop = tmp / "pop.json"
        pop.write_text(POPULATION)

        single = run_ok(["aftermath", "simulate", "--population", str(pop), "--format", "json"],
                        env, tmp, "single run").stdout
        run_ok(["aftermath", "simulate", "--population", str(pop), "--rows", str(tmp / "single.csv"),
                "--format", "json"], env, tmp, "single run with --rows")
        single_rows = (tmp / "single.csv").read_bytes()
        ok(f"single run: {len(single)} bytes of summary, {len(single_rows)} bytes of rows")

        # (a), (b): the array template once per task, then the merge template.
        for number, (name, low, step, count) in enumerate(ARRAYS):
            out = tmp / f"array-{number}"
            job = 1000 + number
            ids = [low + step * k for k in range(count)]
            # The first array leaves OUT to its default, results/<array job id> under the
            # directory sbatch was run in (the job's working directory).
            default_out = number == 0
            if default_out:
                out = tmp / "results" / str(job)
            for k, task in enumerate(ids):
                task_env = dict(env, POPULATION=str(pop), SLURM_JOB_ID=str(job + 1 + k),
                                SLURM_ARRAY_JOB_ID=str(job), SLURM_ARRAY_TASK_ID=str(task),
                                SLURM_ARRAY_TASK_COUNT=str(count), SLURM_ARRAY_TASK_MIN=str(low),
                                SLURM_ARRAY_TASK_MAX=str(ids[-1]), SLURM_CPUS_PER_TASK="2")
                if step != 1:
                    task_env["SLURM_ARRAY_TASK_STEP"] = str(step)
                if not default_out:
                    task_env["OUT"] = str(out)
                run_ok(["bash", str(cluster / "simulate-array.sbatch")], task_env, tmp,
                       f"array {name}, task {task}")
                part = out / f"part-{task}.json"
                if not part.is_file():
                    fail(f"array {name}, task {task}: wrote no {part}")
                shard = f"{k + 1}/{count}"
                explicit = run_ok(["aftermath", "simulate", "--population", str(pop), "--shard", shard,
                                   "--threads", "1", "--format", "json"], env, tmp, f"--shard {shard}").stdout
                same_bytes(part.read_bytes(), explicit, f"array {name}: part-{task}.json (--shard auto)",
                           f"--shard {shard}")
            written = sorted(p.name for p in out.iterdir())
            expected = sorted(f"part-{t}.json" for t in ids)
            if written != expected:
                fail(f"array {name}: {out} holds {written}, expected {expected} (a leftover .tmp?)")
            run_ok(["bash", str(cluster / "merge.sbatch")], dict(env, OUT=str(out.relative_to(tmp))
                   if default_out else str(out), SLURM_JOB_ID=str(job + 100)), tmp, f"array {name}: merge.sbatch")
            same_bytes((out / "summary.json").read_bytes(), single, f"array {name}{' (default OUT)' if default_out else ''}: merged summary",
                       "single run")

        # The order merge is given the parts in does not matter.
        parts = sorted((tmp / "array-1").glob("part-*.json"), reverse=True)
        reverse = run_ok(["aftermath", "merge", *map(str, parts), "--format", "json"], env, tmp,
                         "merge in reverse order").stdout
        same_bytes(reverse, single, "merge of array 1-4's parts in reverse order", "single run")

        # A stale part from an earlier, different split in the same directory makes the merge
        # fail rather than count patients twice; so does a missing part.
        stale = tmp / "stale"
        stale.mkdir()
        for p in (tmp / "array-2").glob("part-*.json"):
            (stale / p.name).write_bytes(p.read_bytes())
        (stale / "part-5.json").write_bytes((tmp / "results" / "1000" / "part-5.json").read_bytes())
        result = run(["bash", str(cluster / "merge.sbatch")], dict(env, OUT=str(stale)), tmp, "merge with a stale part")
        if result.returncode == 0 or (stale / "summary.json").exists():
            fail(f"merge.sbatch with a stale part: exit {result.returncode}, expected a failure and no summary.json")
        ok(f"merge.sbatch with a stale part fails (exit {result.returncode}): "
           f"{result.stderr.decode(errors='replace').strip().splitlines()[-1]}")
        (stale / "part-5.json").unlink()
        (stale / "part-4.json").unlink()
        result = run(["bash", str(cluster / "merge.sbatch")], dict(env, OUT=str(stale)), tmp, "merge with a part missing")
        if result.returncode == 0 or (stale / "summary.json").exists():
            fail(f"merge.sbatch with part-4 missing: exit {result.returncode}, expected a failure and no summary.json")
        ok(f"merge.sbatch with a part missing fails (exit {result.returncode}): "
           f"{result.stderr.decode(errors='replace').strip().splitlines()[-1]}")

        # (c): the MPI template with 3 ranks of one thread, and with --rows.
        out = tmp / "mpi"
        rows = out / "patients.csv"
        mpi_env = dict(env, POPULATION=str(pop), OUT=str(out), ROWS=str(rows), SLURM_JOB_ID="2000",
                       SLURM_NTASKS="3", SLURM_CPUS_PER_TASK="1")
        run_ok(["bash", str(cluster / "simulate-mpi.sbatch")], mpi_env, tmp, "simulate-mpi.sbatch, 3 ranks")
        same_bytes((out / "summary.json").read_bytes(), single, "MPI (3 ranks x 1 thread): summary", "single run")
        rank_files = sorted(out.glob("patients.rank*.csv"))
        names = [p.name for p in rank_files]
        if len(rank_files) != 3 or not all(n.startswith(f"patients.rank{r}-of-3.patients-") for r, n in enumerate(names)):
            fail(f"MPI rows: expected 3 files patients.rank<r>-of-3.patients-*.csv, found {names}")
        same_bytes(b"".join(p.read_bytes() for p in rank_files), single_rows,
                   f"MPI rows: {', '.join(names)} concatenated", "single run's rows")
        # Two ranks of two threads each: the hybrid layout the template is written for.
        out2 = tmp / "mpi-2x2"
        run_ok(["bash", str(cluster / "simulate-mpi.sbatch")],
               dict(env, POPULATION=str(pop), OUT=str(out2), SLURM_NTASKS="2", SLURM_CPUS_PER_TASK="2"),
               tmp, "simulate-mpi.sbatch, 2 ranks x 2 threads")
        same_bytes((out2 / "summary.json").read_bytes(), single, "MPI (2 ranks x 2 threads): summary", "single run")

        # (d): --shard auto outside a job array, and for a task the array does not have.
        array_vars = dict(SLURM_ARRAY_TASK_COUNT="8", SLURM_ARRAY_TASK_MIN="0")
        command = ["aftermath", "simulate", "--population", str(pop), "--shard", "auto", "--format", "json"]
        for label, extra, needle in [
                ("no SLURM_ARRAY_TASK_* set", {}, "SLURM_ARRAY_TASK_ID"),
                ("task 8 of an array 0-7", dict(array_vars, SLURM_ARRAY_TASK_ID="8"), "task 8"),
                ("task 1 of an array 0-6:2", dict(SLURM_ARRAY_TASK_ID="1", SLURM_ARRAY_TASK_COUNT="4",
                                                 SLURM_ARRAY_TASK_MIN="0", SLURM_ARRAY_TASK_STEP="2"), "task 1")]:
            result = run(command, dict(env, **extra), tmp, f"--shard auto, {label}")
            stderr = result.stderr.decode(errors="replace")
            if result.returncode != 2 or needle not in stderr or result.stdout:
                fail(f"--shard auto, {label}: expected exit 2, nothing on stdout and '{needle}' on stderr; "
                     f"got exit {result.returncode}, {len(result.stdout)} bytes on stdout, stderr: {stderr!r}")
            line = next(l for l in stderr.splitlines() if needle in l)
            ok(f"--shard auto, {label}: exit 2, {line!r}")
        # The array template run outside an array stops before writing a part.
        lone = tmp / "lone"
        result = run(["bash", str(cluster / "simulate-array.sbatch")], dict(env, POPULATION=str(pop), OUT=str(lone)),
                     tmp, "simulate-array.sbatch outside an array")
        leftovers = sorted(p.name for p in lone.glob("*")) if lone.exists() else []
        if result.returncode == 0 or leftovers:
            fail(f"simulate-array.sbatch outside an array: exit {result.returncode}, left {leftovers}")
        ok(f"simulate-array.sbatch outside an array fails (exit {result.returncode}) and writes nothing")
        # A task outside the array fails through the template too, and leaves no part for merge.
        out = tmp / "outside"
        result = run(["bash", str(cluster / "simulate-array.sbatch")],
                     dict(env, POPULATION=str(pop), OUT=str(out), SLURM_ARRAY_TASK_ID="8", **array_vars),
                     tmp, "simulate-array.sbatch, task 8 of 0-7")
        if result.returncode != 2 or list(out.glob("part-*.json")):
            fail(f"simulate-array.sbatch, task 8 of 0-7: exit {result.returncode} (expected 2), "
                 f"parts {[p.name for p in out.glob('part-*.json')]}")
        ok("simulate-array.sbatch, task 8 of 0-7: exit 2 and no part-8.json")

        # submit-array.sh against a stand-in sbatch that records its calls.
        fake = tmp / "fake-bin"
        fake.mkdir()
        log = tmp / "sbatch.log"
        (fake / "sbatch").write_text(
            "#!/bin/bash\n"
            f"n=$(( $(wc -l < {log} 2>/dev/null || echo 0) + 1 ))\n"
            f"echo \"$n OUT=${{OUT:-}} $*\" >> {log}\n"
            "if (( n == 1 )); then echo '4242;cluster'; else echo 4243; fi\n")
        (fake / "sbatch").chmod(0o755)
        submit_env = dict(env, PATH=f"{fake}{os.pathsep}{env['PATH']}", POPULATION=str(pop))
        result = run_ok(["bash", str(cluster / "submit-array.sh"), "--array=0-31"], submit_env, tmp, "submit-array.sh")
        calls = log.read_text().splitlines()
        want = [f"1 OUT= --parsable --array=0-31 {cluster}/simulate-array.sbatch",
                f"2 OUT=results/4242 --parsable --dependency=afterok:4242 --kill-on-invalid-dep=yes {cluster}/merge.sbatch"]
        if calls != want:
            fail(f"submit-array.sh called sbatch as\n  " + "\n  ".join(calls) + "\nexpected\n  " + "\n  ".join(want))
        ok(f"submit-array.sh: array, then merge after afterok:4242 with OUT=results/4242 "
           f"({result.stdout.decode().strip()!r})")

    print("all Slurm template checks passed")


if __name__ == "__main__":
    main()
