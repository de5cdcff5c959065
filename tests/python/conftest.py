"""What the Python module's tests share: the command they compare with and the project's files.

CMake runs them with AFTERMATH_CLI (the built `aftermath`), AFTERMATH_SOURCE_DIR and PYTHONPATH
(the build tree's python/) set; see tests/python/CMakeLists.txt.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("AFTERMATH_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def source_file(name):
    return SOURCE_DIR / name


def read_text(name):
    return source_file(name).read_text(encoding="utf-8")


def read_json(name):
    return json.loads(read_text(name))


class Command:
    """The aftermath command, run as a subprocess."""

    def __init__(self, path):
        self.path = path

    def run(self, *arguments, cwd=None):
        return subprocess.run([self.path, *map(str, arguments)], cwd=cwd, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)

    def json(self, *arguments):
        """The parsed output of a command with --format json that must succeed."""
        result = self.run(*arguments, "--format", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def problems(self, *arguments):
        """The `source: path: message` lines of a command that must fail with bad input."""
        result = self.run(*arguments, "--format", "json")
        assert result.returncode == 2, (result.returncode, result.stderr)
        lines = result.stderr.splitlines()
        assert lines[0] == "aftermath: bad input", result.stderr
        return lines[1:]


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("AFTERMATH_CLI")
    if not path:
        pytest.skip("AFTERMATH_CLI is not set (ctest sets it to the built command)")
    return Command(path)
