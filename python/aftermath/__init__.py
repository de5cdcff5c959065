"""aftermath: recovery after mesotherapy, from Python.

The same documents as the ``aftermath`` command, as dicts: a profile, reports, a planning
request or a population in (a dict, or its JSON text), and the projection, assessment, plan or
cohort summary out, equal to what ``aftermath <command> --format json`` prints, with its numeric
lists as NumPy arrays (see ``aftermath.plain`` for the rule and its inverse).

>>> import aftermath
>>> projection = aftermath.project({"risk_factors": ["bruise_prone"], "sessions": ["2026-12-01"]})
>>> bruising = next(e for e in projection["effects"] if e["id"] == "bruising")
>>> bruising["resolved"]["p95_date"]
'2026-12-23'
>>> sorted(bruising["curve"])
['day', 'p05', 'p50', 'p95', 'p_visible']
>>> bruising["curve"]["day"][:3]
array([0., 1., 2.])

The functions of the module use the embedded default model; ``Model`` holds another (a model
file as a dict or its text) and has the same functions as methods. Every call releases the GIL
while the library works, and a model may be used by many threads at once. Bad input raises
``InputError`` with every problem and its path.
"""

import json as _json
import threading as _threading

from . import _aftermath
from ._convert import Columns, from_json as _from_json, plain
from ._errors import InputError

__version__ = _aftermath.__version__

# Shown as aftermath.InputError and aftermath.Columns, where they are documented.
InputError.__module__ = Columns.__module__ = __name__

__all__ = ["Model", "InputError", "Columns", "plain", "project", "assess", "plan", "simulate", "leaflet",
           "model_document", "__version__"]

_ROW_COLUMNS = ("patient", "group", "effect", "sessions", "resolved_after_last_days", "visible_days")
_MOST_UNSIGNED = 2**64 - 1


def _problem(source, path, message, code="malformed"):
    return InputError([{"source": source, "path": path, "code": code, "message": message}])


def _text(document, source):
    """A document as the JSON text the library reads."""
    if isinstance(document, str):
        return document
    if isinstance(document, (bytes, bytearray)):
        try:
            return bytes(document).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _problem(source, "", f"is not UTF-8 text: {error}") from None
    if isinstance(document, dict):
        try:
            return _json.dumps(plain(document), allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError) as error:
            raise _problem(source, "", f"cannot be written as JSON: {error}") from None
    raise _problem(source, "", f"must be a dict or its JSON text (str), not {type(document).__name__}")


def _whole_number(value, source, path, most):
    """An option as the command's -n, --seed and --threads take it; None stays None. The library
    checks the range of n itself."""
    if value is None:
        return None
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise _problem(source, path, f"must be a whole number, not {type(value).__name__}")
    number = value.__index__()
    if not 0 <= number <= most:
        raise _problem(source, path, f"{number}, but must be in [0, {most}]", "out_of_range")
    return number


def _rows_frame(columns):
    """The C++ columns as a pandas DataFrame: categories for the labels, NaN for no resolution."""
    import pandas

    data = {}
    for name in _ROW_COLUMNS:
        column = columns[name]
        if isinstance(column, tuple):
            codes, labels = column
            column = pandas.Categorical.from_codes(codes, categories=labels)
        data[name] = column
    return pandas.DataFrame(data, copy=False)


class Model:
    """A validated model and the services on it; immutable, so share one between threads.

    ``Model()`` is the embedded default model (``mesotherapy_face``); ``Model(model)`` reads a
    model file, given as a dict or its JSON text (docs/model-format.md), and raises
    ``InputError`` naming every problem in it. Build one and keep it: reading a model takes a few
    milliseconds, a projection less.

    >>> import aftermath
    >>> model = aftermath.Model()
    >>> model.model_document()["id"]
    'mesotherapy_face'
    >>> edited = model.model_document()
    >>> edited["version"] = "clinic-edit"
    >>> aftermath.Model(edited).project({"sessions": ["2026-12-01"]})["model"]
    {'id': 'mesotherapy_face', 'version': 'clinic-edit'}
    """

    def __init__(self, model=None):
        if model is None:
            self._service = _aftermath.DocumentService()
        elif isinstance(model, Model):
            self._service = model._service
        else:
            self._service = _aftermath.DocumentService(_text(model, "model"), "model")

    def model_document(self):
        """The model itself, as ``aftermath model --format json`` prints it."""
        return _from_json(self._service.model_document())

    def project(self, profile):
        """A patient's projection, as ``aftermath project --format json`` prints it.

        ``profile`` is a dict (or its JSON text): ``{"patient", "treatment", "risk_factors",
        "sessions"}`` (docs/projection.md). Each effect's ``curve`` and ``results["curve"]`` are
        ``Columns``: ``{"day", "p05", "p50", "p95", "p_visible"}`` arrays, one point per day.
        """
        return _from_json(self._service.project(_text(profile, "profile")))

    def assess(self, profile, reports):
        """What a patient reports against their projection, with triage, as ``aftermath assess``.

        ``reports``: ``{"reports": [{"date" or "day", "symptom", "severity", "flags"}]}``.
        """
        return _from_json(self._service.assess(_text(profile, "profile"), _text(reports, "reports")))

    def plan(self, request, *, clinic=None):
        """A course of sessions dated on the clinic's calendar, as ``aftermath plan``.

        ``clinic``: the clinic overlay (its name, numbers and wording), or None.
        """
        clinic_text = "" if clinic is None else _text(clinic, "clinic")
        return _from_json(self._service.plan(_text(request, "request"), clinic_text))

    def leaflet(self, profile, *, clinic=None):
        """The patient's leaflet: ``{"html", "markdown", "clinic_warnings"}``.

        ``html`` is the page ``aftermath leaflet --html F`` writes (its chart inside),
        ``markdown`` the page without its chart, ``clinic_warnings`` what only the clinic should
        act on (the command prints them on stderr).
        """
        clinic_text = "" if clinic is None else _text(clinic, "clinic")
        return _from_json(self._service.leaflet(_text(profile, "profile"), clinic_text))

    def simulate(self, population, *, n=None, seed=None, threads=None, rows=False, progress=None):
        """A cohort summary, as ``aftermath simulate --format json`` prints it.

        ``n`` and ``seed`` replace the population's (``-n``, ``--seed``); ``threads`` is the
        number of threads (None: one per core), which never changes the result. ``progress``,
        when given, is called as ``progress(done, total)`` in patients, about ten times a second
        and once at the end, from the library's threads with the GIL held; an exception it raises
        (and Ctrl-C, on the main thread) stops the simulation and is raised here.

        With ``rows=True`` returns ``(summary, rows)``: ``rows`` is a pandas DataFrame with one
        row per patient and effect (and effect ``"any"``), the columns of ``--rows``' CSV:
        ``patient`` (int64), ``group``, ``effect`` and ``sessions`` (categories; sessions 1-based
        and joined by ``;``, empty when the effect did not occur), ``resolved_after_last_days``
        (float64, NaN when it did not occur) and ``visible_days`` (float64), the days at full
        precision. Rows take about 27 bytes each: a million patients, 190 MB.
        """
        if progress is not None and not callable(progress):
            raise TypeError(f"progress must be callable, not {type(progress).__name__}")
        n = _whole_number(n, "population", "n", _MOST_UNSIGNED)
        seed = _whole_number(seed, "population", "seed", _MOST_UNSIGNED)
        threads = _whole_number(threads, "", "threads", 2**32 - 1)
        result = self._service.simulate(_text(population, "population"), n, seed, threads or 0, progress, bool(rows))
        if not rows:
            return _from_json(result)
        summary, columns = result
        return _from_json(summary), _rows_frame(columns)


_default = None
_default_lock = _threading.Lock()


def _model(model):
    """The Model a module-level call uses: the cached default, a Model, or one read from a file."""
    global _default
    if model is None:
        with _default_lock:
            if _default is None:
                _default = Model()
        return _default
    return model if isinstance(model, Model) else Model(model)


def model_document(model=None):
    """The model (default: the embedded one) as ``aftermath model --format json``."""
    return _model(model).model_document()


def project(profile, *, model=None):
    """``Model.project`` on ``model`` (a Model, a model file as a dict or text; None: the default)."""
    return _model(model).project(profile)


def assess(profile, reports, *, model=None):
    """``Model.assess`` on ``model`` (None: the default)."""
    return _model(model).assess(profile, reports)


def plan(request, *, clinic=None, model=None):
    """``Model.plan`` on ``model`` (None: the default)."""
    return _model(model).plan(request, clinic=clinic)


def leaflet(profile, *, clinic=None, model=None):
    """``Model.leaflet`` on ``model`` (None: the default)."""
    return _model(model).leaflet(profile, clinic=clinic)


def simulate(population, *, n=None, seed=None, threads=None, model=None, rows=False, progress=None):
    """``Model.simulate`` on ``model`` (None: the default).

    >>> import aftermath
    >>> summary, rows = aftermath.simulate({"protocol": "face_initial", "n": 1000, "seed": 1}, rows=True)
    >>> summary["n"], len(rows), list(rows.columns)
    (1000, 7000, ['patient', 'group', 'effect', 'sessions', 'resolved_after_last_days', 'visible_days'])
    """
    return _model(model).simulate(population, n=n, seed=seed, threads=threads, rows=rows, progress=progress)
