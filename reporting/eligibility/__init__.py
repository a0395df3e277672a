"""What a person qualifies for and when F-5 comes: the ledger read into plain facts, the pure
rules of ``investments.rules`` applied, and the answer explained (SPEC §4, §8.2).

Officers and HQ see the person whole: every investment of every institution recognised as the
same person (nationality + passport keyed hash). An institution sees only its own client's
investments. The what-if adds a hypothetical recovery and says which report it would require
and by when.

* ``ledger_facts`` — the reference rows and the ledger read into the rules' plain facts;
* ``what_if`` — a hypothetical recovery, checked;
* ``explanations`` — the rules applied (``judge``) and the answer explained (``evaluate``).

Callers import from ``reporting.eligibility``; the names below are its public surface.
"""

from .explanations import evaluate, judge, office_dict, reason_dict
from .ledger_facts import (
    Reference,
    Row,
    applicant,
    investment_facts,
    label,
    office_facts,
    person_investments,
    plain_investment_facts,
    public_interest_track,
)
from .what_if import WhatIf, what_if_for

__all__ = [
    "Reference",
    "Row",
    "WhatIf",
    "applicant",
    "evaluate",
    "investment_facts",
    "judge",
    "label",
    "office_dict",
    "office_facts",
    "person_investments",
    "plain_investment_facts",
    "public_interest_track",
    "reason_dict",
    "what_if_for",
]
