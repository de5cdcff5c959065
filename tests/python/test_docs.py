"""Every Python snippet the documentation shows runs and prints what it shows: the doctests of
the package's docstrings, and the `>>>` examples of docs/python.md and README.md."""

import doctest

import pytest

import aftermath
import aftermath._convert
from conftest import source_file

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


# InputError and Columns are documented as aftermath.InputError and aftermath.Columns, so their
# docstrings run with the package's; plain() with its own module's.
@pytest.mark.parametrize("module", [aftermath, aftermath._convert], ids=lambda m: m.__name__)
def test_docstrings(module):
    result = doctest.testmod(module, optionflags=OPTIONS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", ["docs/python.md", "README.md"])
def test_markdown_examples(name, monkeypatch):
    monkeypatch.chdir(source_file("."))  # the snippets read the project's example files
    result = doctest.testfile(str(source_file(name)), module_relative=False, optionflags=OPTIONS)
    assert result.attempted > 0 and result.failed == 0
