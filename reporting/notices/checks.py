"""The reconciliation checks of a monthly status notice (SPEC §5.2): errors block its
submission, warnings need an explicit confirmation."""

from django.db.models import F
from django.utils.translation import gettext_noop

from investments.rules import facts
from portal import months

from .. import explain
from ..choices import NoticeState, ObligationState
from ..models import MonthlyNotice
from ..services import by_permanent_resident
from .figures import flatten, month_recoveries

FILED = (ObligationState.FILED_ON_TIME, ObligationState.FILED_LATE)
ERROR, WARNING = "error", "warning"


#: The checks of SPEC §5.2 by code: (level, message id). Errors block submission; warnings
#: need an explicit confirmation. A check is stored with its message id and parameters and
#: rendered when read (``check_text``), in the reader's language, as the rules' reasons are.
CHECKS = {
    "cumulative_continuity": (
        ERROR,
        gettext_noop(
            "%(figure)s: cumulative %(cumulative)s is not last month's %(previous)s plus this "
            "month's %(new)s."
        ),
    ),
    "previous_notice_differs": (
        WARNING,
        gettext_noop(
            "%(figure)s: last month's submitted notice (v%(version)s) gave a cumulative %(said)s; "
            "the ledger now gives %(now)s. The ledger changed after that submission: consider "
            "amending it."
        ),
    ),
    "breakdown_totals": (
        ERROR,
        gettext_noop(
            "The nationality breakdown adds up to %(broken)s %(key)s investments, not %(total)s."
        ),
    ),
    "recovery_without_report": (
        WARNING,
        gettext_noop(
            "Recovery #%(pk)s of %(investor)s on %(recovered_on)s "
            "(%(amount_krw)s): its withdrawal report is not filed yet."
        ),
    ),
    "ledger_changed": (
        ERROR,
        gettext_noop(
            "The ledger has changed since this draft was computed (%(figures)s): compute the "
            "notice again and review it before submitting."
        ),
    ),
}


def make_check(code, **params):
    """A check as a notice stores it: ``text`` in English (logs, receipts' digests, clients
    reading the stored JSON) and ``why``, its message id and parameters
    (``investments.rules.facts.to_data``), from which every reader gets it in their own
    language, whatever the language of whoever computed the notice. A parameter ending in
    ``_krw`` is an amount, shown with the portal's KRW formatting."""
    level, message = CHECKS[code]
    reason = facts.explained("", "", message, **params)
    return {"code": code, "level": level, "text": reason.text, "why": facts.to_data(reason)}


def check_text(check):
    """A stored check in the active language; one stored before checks kept their message id
    is shown as it was stored."""
    if "why" not in check:
        return check["text"]
    return explain.render(facts.from_data(check["why"]))


def rendered(checks):
    """Stored checks as the reader sees them: ``{code, level, text}`` in the active language."""
    return [{"code": c["code"], "level": c["level"], "text": check_text(c)} for c in checks]


def reconcile(institution, program, period, figures, before, office=None):
    """The reconciliation checks of the notice to ``office``, as ``[{code, level, text}]``."""
    checks = []
    for name, pair in flatten(figures).items():
        previous = before.get(name, 0)
        if pair["cumulative"] != previous + pair["new"]:
            checks.append(
                make_check("cumulative_continuity", figure=name, previous=previous, **pair)
            )

    last = MonthlyNotice.objects.filter(
        institution=institution, program=program, period=months.previous_month(period)
    )
    if office is not None:
        last = last.filter(recipient_office=office)
    submitted = last.filter(state=NoticeState.SUBMITTED).order_by("-version").first()
    if submitted is not None:
        said = {name: pair["cumulative"] for name, pair in flatten(submitted.figures).items()}
        for name in sorted(said.keys() | before.keys()):
            if (was := said.get(name, 0)) != (now := before.get(name, 0)):
                checks.append(
                    make_check(
                        "previous_notice_differs",
                        figure=name,
                        version=submitted.version,
                        said=was,
                        now=now,
                    )
                )

    for key in ("new", "cumulative"):
        total = figures["investments"][key]
        broken = sum(pair[key] for pair in figures["nationality"].values())
        if broken != total:
            checks.append(make_check("breakdown_totals", broken=broken, key=key, total=total))

    unreported = (
        # a recovery by a permanent resident opens no report (seed §6.H): nothing to warn of
        month_recoveries(institution, program, period, office)
        .exclude(by_permanent_resident())
        .exclude(obligation__state__in=FILED)
        .values("pk", "recovered_on", "amount_krw", investor=F("investment__investor__full_name"))
    )
    for row in unreported:
        checks.append(make_check("recovery_without_report", **row))
    return checks
