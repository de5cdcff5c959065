#!/usr/bin/env python3
"""The C ABI against the command: the same documents in give the same bytes out, bad input the
same problems at the same paths, and one service shared by 4 Python threads (ctypes, which
releases the GIL around each foreign call) gives every thread the single-threaded answers.

usage: c_api_against_cli.py --cli build/release/aftermath --tool .../aftermath_c_tool
                            --library .../libaftermath_c.so --root SOURCE_DIR
"""
import argparse
import ctypes
import json
import pathlib
import subprocess
import sys
import tempfile
import threading

failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAILED:", what, file=sys.stderr)


def run(command):
    return subprocess.run(command, capture_output=True)


def cases(root, scratch):
    """(name, CLI arguments, C tool arguments) over the project's own example documents."""
    profile = root / "examples/profile.json"
    reports = root / "tests/docs/reports.json"
    request = root / "tests/docs/plan-request.json"
    population = root / "tests/docs/pop.json"
    weekly = root / "tests/docs/pop-weekly.json"
    yield "project", ["project", "--profile", profile], ["project", profile]
    yield "assess", ["assess", "--profile", profile, "--reports", reports], ["assess", profile, reports]
    yield "plan", ["plan", "--request", request], ["plan", request]
    yield "simulate", ["simulate", "--population", population, "-n", "20000"], ["simulate", population, "20000"]
    yield "simulate weekly", ["simulate", "--population", weekly, "-n", "5000", "--seed", "9", "--threads", "2"], \
        ["simulate", weekly, "5000", "9", "2"]
    yield "model", ["model"], ["model"]
    # A profile that is different from the example's: no risk factors, one session.
    plain = scratch / "plain.json"
    plain.write_text(json.dumps({"patient": "p", "treatment": "mesotherapy_face", "sessions": ["2027-01-04"]}))
    yield "project plain", ["project", "--profile", plain], ["project", plain]


def bad_inputs(root, scratch):
    """(name, CLI arguments, C tool arguments, file) of documents the loaders refuse."""
    bad = root / "tests/docs/bad.json"
    broken_population = root / "tests/docs/broken-pop.json"
    truncated = scratch / "truncated.json"
    truncated.write_text('{"patient": "x", "sessions": [')
    huge = scratch / "huge.json"
    huge.write_text('{"patient": 1e999, "treatment": "mesotherapy_face", "sessions": ["2027-01-04"]}')
    yield "profile", ["project", "--profile", bad], ["project", bad], bad
    yield "truncated", ["project", "--profile", truncated], ["project", truncated], truncated
    yield "overflow", ["project", "--profile", huge], ["project", huge], huge
    yield "population", ["simulate", "--population", broken_population], ["simulate", broken_population], broken_population


def compare_outputs(cli, tool, root, scratch):
    for name, cli_args, tool_args in cases(root, scratch):
        by_cli = run([cli, *cli_args, "--format", "json"])
        by_c = run([tool, *tool_args])
        expect(by_cli.returncode == 0, f"{name}: the command succeeds ({by_cli.stderr.decode()[:200]})")
        expect(by_c.returncode == 0, f"{name}: the C ABI succeeds ({by_c.stdout.decode()[:200]})")
        expect(by_cli.stdout == by_c.stdout, f"{name}: the C ABI's bytes are the command's")


def cli_problems(stderr, source):
    """The command's problem lines, `source: path: message`, as (path, message)."""
    lines = stderr.decode().splitlines()
    assert lines and lines[0] == "aftermath: bad input", lines
    problems = []
    for line in lines[1:]:
        assert line.startswith(source + ": "), (line, source)
        rest = line[len(source) + 2:]
        problems.append(rest)
    return problems


def document_problems(document):
    return [(p["path"] + ": " if "path" in p else "") + p["message"] for p in json.loads(document)["problems"]]


def compare_problems(cli, tool, root, scratch):
    for name, cli_args, tool_args, file in bad_inputs(root, scratch):
        by_cli = run([cli, *cli_args, "--format", "json"])
        by_c = run([tool, *tool_args])
        expect(by_cli.returncode == 2 and by_c.returncode == 2, f"{name}: both say bad input (exit 2): {by_cli.returncode}, {by_c.returncode}")
        if by_cli.returncode == 2 and by_c.returncode == 2:
            listed = document_problems(by_c.stdout)
            expect(len(listed) > 0, f"{name}: the error document lists problems")
            expect(cli_problems(by_cli.stderr, str(file)) == listed,
                   f"{name}: the same problems at the same paths:\n  command: {by_cli.stderr.decode()}\n  C ABI: {listed}")


class Library:
    """libaftermath_c through ctypes."""

    def __init__(self, path):
        lib = ctypes.CDLL(str(path))
        out = ctypes.POINTER(ctypes.c_void_p)
        lib.aftermath_service_new.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), out]
        lib.aftermath_service_free.argtypes = [ctypes.c_void_p]
        lib.aftermath_project.argtypes = [ctypes.c_void_p, ctypes.c_char_p, out]
        lib.aftermath_assess.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, out]
        lib.aftermath_simulate.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, out]
        lib.aftermath_free.argtypes = [ctypes.c_void_p]
        lib.aftermath_version.restype = ctypes.c_char_p
        self.lib = lib
        service, error = ctypes.c_void_p(), ctypes.c_void_p()
        assert lib.aftermath_service_new(None, ctypes.byref(service), ctypes.byref(error)) == 0
        self.service = service

    def call(self, function, *documents):
        output = ctypes.c_void_p()
        status = function(self.service, *documents, ctypes.byref(output))
        text = ctypes.string_at(output.value).decode() if output.value else None
        self.lib.aftermath_free(output)
        return status, text

    def project(self, profile):
        return self.call(self.lib.aftermath_project, profile)

    def assess(self, profile, reports):
        return self.call(self.lib.aftermath_assess, profile, reports)

    def simulate(self, population):
        return self.call(self.lib.aftermath_simulate, population, None)

    def close(self):
        self.lib.aftermath_service_free(self.service)


def shared_by_four_threads(library_path, root):
    library = Library(library_path)
    expect(library.lib.aftermath_version().decode().count(".") == 2, "aftermath_version through ctypes")
    profile = (root / "examples/profile.json").read_bytes()
    reports = (root / "tests/docs/reports.json").read_bytes()
    population = json.dumps({"protocol": "face_initial", "n": 3000, "seed": 11}).encode()
    work = [lambda: library.project(profile), lambda: library.assess(profile, reports), lambda: library.simulate(population),
            lambda: library.project(b'{"patient": "x", "sessions": ["not a date"]}')]
    expected = [job() for job in work]
    expect([status for status, _ in expected] == [0, 0, 0, 2], f"statuses through ctypes: {[s for s, _ in expected]}")
    got = [[] for _ in range(4)]

    def worker(t):
        for round in range(3):
            got[t].append(work[(t + round) % 4]())

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for t in range(4):
        for round in range(3):
            expect(got[t][round] == expected[(t + round) % 4], f"thread {t}, round {round}: the single-threaded answer")
    library.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--tool", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("--root", required=True, type=pathlib.Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        compare_outputs(args.cli, args.tool, args.root, pathlib.Path(scratch))
        compare_problems(args.cli, args.tool, args.root, pathlib.Path(scratch))
    shared_by_four_threads(args.library, args.root)
    if failures:
        print(f"{len(failures)} failed", file=sys.stderr)
        return 1
    print("the C ABI gives the command's bytes and problems; 4 threads share one service")
    return 0


if __name__ == "__main__":
    sys.exit(main())
