"""The monthly status notice (seed §6.H, §7.F, §7.S; SPEC §5.2): an institution's figures for
one program, month and competent office, computed from the ledger as of the month's last day;
the reconciliation checks run before it is submitted; and the verbs that compute, annotate,
submit and amend it.

* ``figures`` — which offices an institution owes a notice to, and the figures of each;
* ``checks`` — the reconciliation checks;
* ``history`` — the figures of every month of many notices at once;
* ``services`` — the verbs, the receipt and the monthly job.

Callers import from ``reporting.notices``; the names below are its public surface.
"""

from .checks import CHECKS, ERROR, FILED, WARNING, check_text, make_check, reconcile, rendered
from .figures import (
    FORM_RESIDENCE_KEYS,
    PERMANENT_RESIDENCE_KEY,
    flatten,
    ledger_lookups,
    month_recoveries,
    notice_offices,
    parse_month,
    repayment_details,
    residence_columns,
    tally,
)
from .history import notice_history
from .services import (
    PROGRAMS_BY_KIND,
    RECEIPT_TAGS,
    amend_notice,
    compute_month,
    compute_notice,
    compute_notices,
    content_digest,
    notice_content,
    programs_of,
    receipt,
    receipt_number,
    review_notice,
    set_remarks,
    submit_notice,
    to_another_office,
)

__all__ = [
    "CHECKS",
    "ERROR",
    "FILED",
    "PROGRAMS_BY_KIND",
    "FORM_RESIDENCE_KEYS",
    "PERMANENT_RESIDENCE_KEY",
    "RECEIPT_TAGS",
    "WARNING",
    "amend_notice",
    "compute_month",
    "compute_notice",
    "compute_notices",
    "content_digest",
    "flatten",
    "ledger_lookups",
    "check_text",
    "make_check",
    "rendered",
    "month_recoveries",
    "notice_content",
    "notice_history",
    "notice_offices",
    "parse_month",
    "programs_of",
    "receipt",
    "receipt_number",
    "reconcile",
    "repayment_details",
    "residence_columns",
    "review_notice",
    "set_remarks",
    "submit_notice",
    "tally",
    "to_another_office",
]
