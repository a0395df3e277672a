"""Filing withdrawal reports (SPEC §5.1; seed §6.H, §7.F): the verbs and the letter's contents.

An institution that recovers invested funds before the investor obtains permanent residence
reports it within 14 days by official letter under its representative's name. Here a report is
a *snapshot*: ``letter_contents`` reads the ledger once and the filed version keeps that
dictionary and its SHA-256 digest forever (``WithdrawalReport`` refuses updates). A correction
is an amendment — a new version snapshotted from the ledger as it is then — so every version an
office ever received stays readable. Officers of the recipient office (or of the office it is a
branch of) and HQ acknowledge or return a version.

Refusals follow ``investments.services``: ``ValidationError`` keyed by field, another
organisation's object reported exactly like one that does not exist, the wrong kind of user
``PermissionDenied``.
"""

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from investments import services as ledger
from portal import audit
from portal.access import reviews, reviews_for_office

from . import services
from .choices import OPEN_STATES, ObligationKind, ObligationState
from .models import Obligation, ReportReview, WithdrawalReport
from .review_queue import checked_decision, record_review

if TYPE_CHECKING:
    from investments.models import Investment
    from portal.models import User

#: The decisions an officer may take on a filed version.


# --- the letter's contents --------------------------------------------------------------------


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def letter_contents(
    obligation: Obligation, *, balance: tuple[int, int] | None = None
) -> dict[str, Any]:
    """What the letter says (seed §6.H "Report Details", §7.F "Report contents"), read from the
    ledger now. Plain JSON types only (dates as ISO strings, money as int KRW) so the snapshot
    and its digest are stable. The passport number is deliberately absent: the seed asks for
    nationality, name and date of birth, and the letter should carry no more personal data.

    ``balance`` is (paid, recovered) up to the recovery day when the caller already holds the
    ledger in memory (the demo builder files thousands of reports at once)."""
    recovery = obligation.recovery
    investment = recovery.investment
    investor = investment.investor
    institution = obligation.institution
    office = obligation.recipient_office
    paid, recovered = balance or ledger.balance(investment, on=recovery.recovered_on)
    unit = investment.unit
    return {
        "obligation": {"id": obligation.pk, "due_on": iso(obligation.due_on)},
        "program": investment.program,
        "investor": {
            "kind": investor.kind,
            "nationality": investor.nationality,
            "full_name": investor.full_name,
            "date_of_birth": iso(investor.date_of_birth),
        },
        "investment": {
            "id": investment.pk,
            "property_name": unit.name if unit else "",
            "unit_number": unit.unit_number if unit else "",
            "project_name": investment.project.name if investment.project_id else "",
            "contract_date": iso(investment.contract_date),
            "contract_amount_krw": int(investment.contract_amount_krw),
            "paid_krw": int(paid),
        },
        "recovery": {
            "id": recovery.pk,
            "recovered_on": iso(recovery.recovered_on),
            "amount_krw": int(recovery.amount_krw),
            "reason": recovery.reason,
            "is_full": recovery.is_full,
            "recovered_to_date_krw": int(recovered),
        },
        "institution": {
            "id": institution.pk,
            "name": institution.name,
            "representative": institution.representative,
        },
        "recipient_office": {"code": office.code, "name": office.name, "name_ko": office.name_ko},
    }


def digest_of(*, content: dict[str, Any], remarks: str, version: int) -> str:
    """SHA-256 (hex) of the canonical JSON of what was filed: anyone holding the letter's
    contents, remarks and version can recompute it."""
    canonical = json.dumps(
        {"content": content, "remarks": remarks, "version": version},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot(
    obligation: Obligation,
    *,
    by: "User",
    version: int,
    filed_on: date,
    remarks: str,
    content: dict[str, Any] | None = None,
) -> WithdrawalReport:
    content = content if content is not None else letter_contents(obligation)
    report = WithdrawalReport(
        obligation=obligation,
        version=version,
        filed_on=filed_on,
        filed_by=by,
        content=content,
        remarks=remarks,
        digest=digest_of(content=content, remarks=remarks, version=version),
    )
    verb, action = ("file_report", "filed") if version == 1 else ("amend_report", "amended")
    return audit.record(report, by=by, verb=verb, action=action)


# --- checks -----------------------------------------------------------------------------------


def require_own_report_duty(by: "User", obligation: Obligation, field: str = "obligation") -> None:
    """Only the obligation's institution files; anybody else's obligation is "not found"."""
    ledger.require_institution(by)
    if obligation.institution_id != by.organisation_id:
        raise ValidationError({field: _("Not found among your reporting duties.")})
    if obligation.kind != ObligationKind.WITHDRAWAL_REPORT:
        raise ValidationError(
            {field: _("This obligation is a monthly status notice, not a withdrawal report.")}
        )


def locked_obligation(obligation: Obligation) -> Obligation:
    """Re-read under a row lock (where the database has them) with what the letter needs."""
    return (
        Obligation.objects.select_for_update(of=("self",))
        .select_related(
            "institution",
            "recipient_office",
            "recovery__investment__investor",
            "recovery__investment__unit",
            "recovery__investment__project",
        )
        .get(pk=obligation.pk)
    )


# --- verbs ------------------------------------------------------------------------------------


@transaction.atomic
def file_report(
    *, by: "User", obligation: Obligation, remarks: str = "", filed_on: date | None = None
) -> WithdrawalReport:
    """File version 1 of the withdrawal report an obligation calls for and close the
    obligation: filed on time when ``filed_on`` is on or before the due day, late otherwise.

    ``filed_on`` (default today) may be earlier than today to record a letter already sent on
    paper, never in the future nor before the recovery itself."""
    require_own_report_duty(by, obligation)
    filed_on = filed_on or timezone.localdate()
    ledger.check_not_future(filed_on, "filed_on")
    obligation = locked_obligation(obligation)
    if obligation.state == ObligationState.CANCELLED:
        raise ValidationError(
            {"obligation": _("The recovery was voided: there is nothing to report.")}
        )
    if filed_on < obligation.recovery.recovered_on:
        raise ValidationError({"filed_on": _("A report cannot be filed before the recovery.")})
    state = (
        ObligationState.FILED_ON_TIME
        if filed_on <= obligation.due_on
        else ObligationState.FILED_LATE
    )
    # The guarded update is what makes a concurrent second filing fail: only one caller can
    # move the obligation out of an open state.
    closed = Obligation.objects.filter(pk=obligation.pk, state__in=OPEN_STATES).update(
        state=state, filed_on=filed_on
    )
    if not closed or obligation.reports.exists():
        raise ValidationError(
            {"obligation": _("This report has already been filed; amend it instead.")}
        )
    obligation.state, obligation.filed_on = state, filed_on
    audit.record_update(obligation, by=by, verb="file_report", action="filed")
    return snapshot(obligation, by=by, version=1, filed_on=filed_on, remarks=remarks.strip())


@transaction.atomic
def amend_report(*, by: "User", report: WithdrawalReport, remarks: str) -> WithdrawalReport:
    """File a new version of a report: the contents read again from the ledger as it is now,
    with new remarks. Earlier versions stay as filed; the obligation keeps its filing date and
    state (an amendment does not make a late report on time, nor an on-time one late)."""
    require_own_report_duty(by, report.obligation, field="report")
    obligation = locked_obligation(report.obligation)
    latest = obligation.reports.order_by("-version").first()
    remarks = remarks.strip()
    if latest is None:
        raise ValidationError({"report": _("Nothing has been filed yet; file the report.")})
    content = letter_contents(obligation)
    if latest.content == content and latest.remarks == remarks:
        raise ValidationError(
            {
                "remarks": _(
                    "Nothing changed since version %(version)s: correct the ledger or the "
                    "remarks first."
                )
                % {"version": latest.version}
            }
        )
    version = (obligation.reports.aggregate(v=Max("version"))["v"] or 0) + 1
    return snapshot(
        obligation,
        by=by,
        version=version,
        filed_on=timezone.localdate(),
        remarks=remarks,
        content=content,
    )


@transaction.atomic
def file_unledgered_recovery(
    *,
    by: "User",
    investment: "Investment",
    recovered_on: date,
    amount_krw: int,
    reason: str,
    remarks: str = "",
) -> WithdrawalReport:
    """Report a recovery the ledger does not have yet (SPEC §5.1): it enters the ledger (with
    its obligation and R5 due date) and is reported in the same transaction, so a refusal of
    either step saves nothing."""
    if not services.report_required(investment, recovered_on):
        raise ValidationError(
            {
                "recovered_on": _(
                    "No withdrawal report is due: the investor holds permanent residence on "
                    "that day. Record the recovery in the ledger instead."
                )
            }
        )
    recovery = services.record_recovery(
        by=by,
        investment=investment,
        recovered_on=recovered_on,
        amount_krw=amount_krw,
        reason=reason,
    )
    obligation = Obligation.objects.get(recovery=recovery)
    return file_report(by=by, obligation=obligation, remarks=remarks)


@transaction.atomic
def review_report(
    *, by: "User", report: WithdrawalReport, decision: str, note: str = ""
) -> ReportReview:
    """An officer of the recipient office (or of the office it is a branch of) or HQ
    acknowledges a filed version or returns it for correction (by amendment)."""
    if not reviews(by):
        raise PermissionDenied(_("Only an immigration officer or HQ reviews reports."))
    if not reviews_for_office(by, report.obligation.recipient_office_id):
        raise ValidationError({"report": _("No such report among those sent to your office.")})
    note = checked_decision(decision, note)
    latest = report.obligation.reports.aggregate(v=Max("version"))["v"]
    if latest != report.version:
        raise ValidationError(
            {
                "report": _("Version %(version)s has been amended: review the latest version.")
                % {"version": report.version}
            }
        )
    return record_review(by=by, verb="review_report", decision=decision, note=note, report=report)
