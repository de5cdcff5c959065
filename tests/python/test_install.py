"""`cmake --install` puts the package where a virtual environment's interpreter finds it."""

import os
import subprocess
import sys

import pytest


def test_install_into_a_virtual_environment(tmp_path):
    build, cmake = os.environ.get("AFTERMATH_BUILD_DIR"), os.environ.get("AFTERMATH_CMAKE")
    if not build or not cmake:
        pytest.skip("AFTERMATH_BUILD_DIR and AFTERMATH_CMAKE are set by ctest")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], check=True)
    subprocess.run([cmake, "--install", build, "--prefix", venv, "--component", "python"], check=True, capture_output=True)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([venv / "bin" / "python", "-c", "import aftermath; print(aftermath.__file__, aftermath.__version__)"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True, check=True)
    where, version = result.stdout.split()
    assert where.startswith(str(venv)) and version == __import__("aftermath").__version__
