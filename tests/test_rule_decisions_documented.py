"""Issue 8: "a test fails when a `[decision]` appears in code but not in the docs".

A ``[decision]`` marks a choice the product made where the regulation is silent. Every one
must be findable in docs/rules.md, which lists each rule with its source:

* a named decision (``"[decision] f1_counts_toward_f5"``, ``"[decision] latest threshold
  wins"``), as the rules write it into a reason's source, is named in docs/rules.md;
* a module that takes a decision (a ``[decision]`` in its code or docstrings) is named in
  docs/rules.md by its path, so a reader finds where the decision lives;
* every rule setting, disqualification kind, status rule and recovery reason seeded with
  ``[decision]`` in its source is named in docs/rules.md by its key.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
APPS = ("investments", "reporting", "portal")
# "[decision] name" as a whole source string, as the rules write it into a reason.
NAMED = re.compile(r"\[decision\] ([^\"\n;\]]+)\"")


def sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def named_decisions():
    return sorted({(path, m[1]) for path, text in sources() for m in NAMED.finditer(text)})


@pytest.mark.parametrize("path,name", named_decisions())
def test_every_named_decision_is_in_the_docs(path, name):
    assert name in DOCS, f"{path}: '[decision] {name}' is not in docs/rules.md"


def modules_with_decisions():
    return [path for path, text in sources() if "[decision]" in text]


@pytest.mark.parametrize("path", modules_with_decisions())
def test_every_module_taking_a_decision_is_named_in_the_docs(path):
    assert path in DOCS, f"{path} takes a [decision] but docs/rules.md does not name it"


def seeded_decisions():
    rules = json.loads((ROOT / "seeds" / "rules.json").read_text(encoding="utf-8"))
    rows = [
        *rules["settings"],
        *rules["disqualification_kinds"],
        *rules["status_rules"],
        *rules["recovery_reasons"],
    ]
    keys = (
        row.get("key") or row.get("code") or row["reason"]
        for row in rows
        if "decision" in row["source"]
    )
    return sorted(set(keys))


@pytest.mark.parametrize("key", seeded_decisions())
def test_every_seeded_decision_is_in_the_docs(key):
    assert f"`{key}`" in DOCS or key in DOCS, f"rule setting {key} is not in docs/rules.md"


def test_the_check_finds_decisions():
    """The lists above are not empty by accident (a moved folder would make every test pass)."""
    assert len(named_decisions()) >= 4
    assert len(modules_with_decisions()) >= 5
    assert "tourism_units_add_up" in seeded_decisions()
    assert {"tourism_residence", "f5_tourism", "sale"} <= set(seeded_decisions())
