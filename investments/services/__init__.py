"""Business verbs on the ledger: one function each, keyword-only, atomic, validated, audited.

Pages, API actions, the admin, imports and commands all call these functions, so a rule holds
however the data arrives. A refusal is a ``ValidationError`` keyed by the offending field;
acting for the wrong kind of organisation is ``PermissionDenied``. Every row is saved through
``portal.audit.record``: a history record naming the user and the verb, an event in the feed,
and the ledger followers woken once the transaction commits.

Corrections (issue 11.3) are verbs too, each with a reason: ``correct_investor``,
``void_entry`` (a wrong payment, recovery, lapse or grant) and ``merge_investors``. Nothing is
deleted; a voided entry no longer counts anywhere (see ``investments.models.ledger``). A
recovery is voided through ``reporting.services.void_recovery``, which also cancels its
report obligation.

The verbs live in modules by concept (``checks``, ``investors``, ``holdings``, ``grants``,
``corrections``); every name is importable from ``investments.services`` as before.
"""

from .checks import (
    CLASSES_BY_PROGRAM,
    Choice,
    check_alien_registration_number,
    check_deposit_minimum,
    check_krw,
    check_nationality,
    check_not_future,
    check_own,
    check_passport_number,
    recovery_reasons,
    require_institution,
    require_officer,
    save,
)
from .corrections import (
    CORRECTABLE,
    VOIDABLE,
    correct_investor,
    merge_investors,
    refresh_full_recoveries,
    require_reason,
    void_entry,
)
from .grants import (
    grant_status,
)
from .holdings import (
    INVESTMENT_FIELDS,
    _insert_recovery,
    balance,
    competent_office,
    held_on,
    locked,
    payment_kinds,
    record_investment,
    record_lapse,
    record_payment,
    recoverable,
)
from .investors import (
    INVESTOR_FIELDS,
    record_relative,
    register_investor,
)

__all__ = [
    "Choice",
    "CLASSES_BY_PROGRAM",
    "recovery_reasons",
    "require_institution",
    "require_officer",
    "check_krw",
    "check_not_future",
    "check_deposit_minimum",
    "check_passport_number",
    "check_alien_registration_number",
    "check_nationality",
    "check_own",
    "save",
    "INVESTOR_FIELDS",
    "register_investor",
    "record_relative",
    "competent_office",
    "INVESTMENT_FIELDS",
    "record_investment",
    "payment_kinds",
    "locked",
    "balance",
    "held_on",
    "recoverable",
    "record_payment",
    "_insert_recovery",
    "record_lapse",
    "grant_status",
    "CORRECTABLE",
    "require_reason",
    "correct_investor",
    "merge_investors",
    "VOIDABLE",
    "void_entry",
    "refresh_full_recoveries",
]
