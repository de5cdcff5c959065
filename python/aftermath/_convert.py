"""Documents between JSON text and Python: dicts in, dicts with NumPy arrays out, and back.

The rule, applied everywhere in a document the library returns (json.loads first):

- a non-empty list of numbers becomes a 1-d NumPy array: int64 when every number is an integer
  in the JSON text, float64 otherwise (``session_days``, ``p_visible_by_day``, ``per_day``);
- a non-empty list of objects that all have the same keys and only numbers as values becomes a
  ``Columns``: a dict of equal-length arrays, one per key, in the keys' order (``curve``);
- everything else stays as json.loads makes it (lists of strings, lists of records that hold text
  or nested objects, whose insides the rule is applied to, and empty lists).

``plain()`` undoes it: ``plain(document) == json.loads(text)`` for the text the rule was applied to.
"""

import json

_numpy = None


def _np():
    global _numpy
    if _numpy is None:
        import numpy

        _numpy = numpy
    return _numpy


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Columns(dict):
    """A list of numeric records as a dict of equal-length NumPy arrays, one per key.

    ``curve["p50"]`` is the median band of every point, ``pandas.DataFrame(curve)`` a table of
    them, ``curve.records()`` the list of dicts the JSON document has.
    """

    def records(self):
        """The records as the JSON document lists them: ``[{"day": 0.0, "p05": 0.0, ...}, ...]``."""
        keys = list(self)
        columns = [self[key].tolist() for key in keys]
        return [dict(zip(keys, row)) for row in zip(*columns)]

    def __repr__(self):
        return f"Columns({dict.__repr__(self)})"


def _array(values):
    np = _np()
    dtype = np.int64 if all(isinstance(v, int) for v in values) else np.float64
    return np.asarray(values, dtype=dtype)


def convert(value):
    """A parsed document with the rule above applied (a new object; the input is not changed)."""
    if isinstance(value, dict):
        return {key: convert(item) for key, item in value.items()}
    if isinstance(value, list):
        if value and all(_is_number(item) for item in value):
            return _array(value)
        if value and all(isinstance(item, dict) for item in value):
            keys = list(value[0])
            if keys and all(list(item) == keys and all(_is_number(v) for v in item.values()) for item in value):
                return Columns((key, _array([item[key] for item in value])) for key in keys)
        return [convert(item) for item in value]
    return value


def from_json(text):
    """The library's JSON text as a document for Python."""
    return convert(json.loads(text))


def plain(document):
    """A document with arrays back as lists and ``Columns`` back as lists of records.

    What json.dumps can write: ``plain(aftermath.project(profile))`` equals ``json.loads`` of
    ``aftermath project --format json`` for the same profile. NumPy scalars become Python numbers.

    >>> import aftermath, json
    >>> projection = aftermath.project({"sessions": ["2026-12-01"]})
    >>> type(projection["effects"][0]["curve"]["p50"]).__name__
    'ndarray'
    >>> json.dumps(aftermath.plain(projection))[:40]
    '{"model": {"id": "mesotherapy_face", "ve'
    """
    if isinstance(document, Columns):
        return document.records()
    if isinstance(document, dict):
        return {key: plain(item) for key, item in document.items()}
    if isinstance(document, (list, tuple)):
        return [plain(item) for item in document]
    if _numpy is not None or type(document).__module__ == "numpy":
        np = _np()
        if isinstance(document, np.ndarray):
            return document.tolist()
        if isinstance(document, np.generic):
            return document.item()
    return document
