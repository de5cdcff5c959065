"""aftermath.InputError: every problem with a document, each with its path."""


class InputError(ValueError):
    """A document aftermath cannot use, with every problem found in it, not just the first.

    Raised for broken JSON, unknown or missing keys, ids the model does not have, numbers out of
    range, dates that are not dates, and for an input that is neither a dict nor JSON text.

    Attributes:
        problems: ``[(path, message), ...]``, e.g. ``("sessions[0]", "2026-02-30 is not a date")``;
            the path is the JSON path within the document, empty for the document as a whole.
        codes: the kind of each problem, in the same order: ``"unknown_id"``, ``"out_of_range"``,
            ``"malformed"`` or ``"conflict"``.
        records: each problem as a dict ``{"source", "path", "code", "message"}``, the
            ``problems`` of ``aftermath serve``'s and the C library's error documents; the source
            names the document (``"profile"``, ``"reports"``, ``"request"``, ``"population"``,
            ``"clinic"``, ``"model"``).

    ``str()`` lists the problems as the command prints them, one ``source: path: message`` a line:

    >>> import aftermath
    >>> try:
    ...     aftermath.project({"sessions": ["2026-02-30"], "risk_factors": ["vampire"]})
    ... except aftermath.InputError as error:
    ...     print(error.problems[0])
    ...     print(error.codes)
    ('sessions[0]', '2026-02-30 is not a date')
    ['malformed', 'unknown_id']
    """

    def __init__(self, records):
        self.records = [dict(record) for record in records]
        super().__init__(self.__str__())

    @property
    def problems(self):
        return [(record.get("path", ""), record.get("message", "")) for record in self.records]

    @property
    def codes(self):
        return [record.get("code", "malformed") for record in self.records]

    def __str__(self):
        lines = []
        for record in self.records:
            parts = [record.get(key, "") for key in ("source", "path", "message")]
            lines.append(": ".join(part for part in parts if part))
        return "\n".join(["bad input"] + lines)

    def __reduce__(self):
        return (type(self), (self.records,))
