"""Pre-screening (seed §6.C, §7.S(2)): funds not invested within ``prescreening_months`` of the
pre-screening make it lapse. A pure function over one investment's facts.

"Invested" is read as the investment's R1 minimum paid (payments of any label, net of nothing:
a recovery after the period is R2's business) by the last day of the period [decision]; an
investment whose R1 minimum is unknown needs its contract amount."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from .dates import months_after
from .facts import InvestmentFacts, Parameters, Reason, explained

RULE = "R2"
SOURCE = "seed §6.C, §7.S(2)"


@dataclass(frozen=True)
class Prescreening:
    investment: int
    prescreened_on: date
    funds_due_by: date
    lapsed: bool
    reason: Reason


def prescreening(inv: InvestmentFacts, on: date, params: Parameters) -> Prescreening | None:
    """The pre-screening of ``inv`` on ``on`` (None when it was not pre-screened)."""
    if inv.prescreened_on is None:
        return None
    due_by = months_after(inv.prescreened_on, params.prescreening_months)
    need = inv.minimum_krw or inv.contract_amount_krw
    paid = sum(p.amount_krw for p in inv.payments if p.on <= min(due_by, on))
    values = {
        "name": inv.label or str(inv.id),
        "on": inv.prescreened_on,
        "end": due_by,
        "months": params.prescreening_months,
        "paid_krw": paid,
        "need_krw": need,
    }
    if paid >= need:
        message = gettext_noop(
            "%(name)s: pre-screened on %(on)s; %(paid_krw)s of the %(need_krw)s invested "
            "within %(months)s months (by %(end)s)"
        )
        lapsed = False
    elif on <= due_by:
        message = gettext_noop(
            "%(name)s: pre-screened on %(on)s; %(paid_krw)s of the %(need_krw)s invested so "
            "far, the rest due by %(end)s or the pre-screening lapses"
        )
        lapsed = False
    else:
        message = gettext_noop(
            "%(name)s: the pre-screening of %(on)s lapsed after %(end)s: only %(paid_krw)s of "
            "the %(need_krw)s was invested within %(months)s months"
        )
        lapsed = True
    reason = explained(RULE, SOURCE, message, **values)
    return Prescreening(inv.id, inv.prescreened_on, due_by, lapsed, reason)
