"""How strong the evidence behind a model is, counted from the model itself.

Reads a model in its file format on stdin (`aftermath model --format json`) and prints, for the
documentation, what the model's numbers (its parameters: objects with a `value` and `evidence`
and/or `assumption`) rest on, the highest-ranked kind of source each cites, and how many
sources of each strength the evidence table holds. Standard library only.

    aftermath model --format json | /usr/bin/python3 tests/docs/evidence_summary.py
"""

import collections
import json
import sys

# The strength ids of docs/model-format.md in five groups, ranked: controlled studies first.
GROUPS = [
    ("randomised trials and meta-analyses", {"rct", "sr_ma"}),
    ("cohorts and case series", {"cohort", "case_series"}),
    ("product labels", {"label"}),
    ("consensus, reviews, standards, lab data, models", {"consensus", "review", "standard", "lab", "model"}),
    ("clinic pages, AI summaries, news", {"clinic_page", "ai_summary", "news"}),
]


def parameters(node):
    """Every parameter object in the model, depth first."""
    if isinstance(node, dict):
        if "value" in node and ("evidence" in node or "assumption" in node):
            yield node
            return
        for child in node.values():
            yield from parameters(child)
    elif isinstance(node, list):
        for child in node:
            yield from parameters(child)


def row(label, count):
    print(f"  {label:<48} {count:>3}")


def main():
    model = json.load(sys.stdin)
    evidence = model["evidence"]
    numbers = [p for key, value in model.items() if key != "evidence" for p in parameters(value)]
    cited = [{evidence[key]["strength"] for key in p.get("evidence", []) if key in evidence} for p in numbers]
    stated = [bool(p.get("assumption")) for p in numbers]

    print(f"{len(numbers)} numbers; what each rests on:")
    row("evidence alone", sum(1 for c, a in zip(cited, stated) if c and not a))
    row("evidence read through a stated assumption", sum(1 for c, a in zip(cited, stated) if c and a))
    row("a stated assumption alone", sum(1 for c in cited if not c))
    print("the highest-ranked kind of source each number cites:")
    best = collections.Counter(next((name for name, members in GROUPS if c & members), None) for c in cited)
    for name, _ in GROUPS:
        row(name, best[name])
    row("none", best[None])
    strengths = collections.Counter(source["strength"] for source in evidence.values())
    listed = ", ".join(f"{s} {n}" for s, n in sorted(strengths.items(), key=lambda item: (-item[1], item[0])))
    print(f"{len(evidence)} sources by strength: {listed}")


if __name__ == "__main__":
    main()
