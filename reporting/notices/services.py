"""The verbs of the monthly status notice (seed §6.H, §7.F, §7.S; SPEC §5.2): compute (one
draft per office the institution reports to), annotate, submit with a receipt, amend; and the
scheduled job that drafts every institution's notices on the 1st."""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from investments.choices import ProgramCode
from investments.models import Program
from portal import audit, months
from portal.access import owns, reviews, reviews_for_office
from portal.choices import INSTITUTION_KINDS, DesignationStatus, OrganisationKind
from portal.models import Office, Organisation

from .. import announce
from ..choices import NoticeState, ObligationKind, ObligationState
from ..models import MonthlyNotice, Obligation
from ..review_queue import checked_decision, record_review
from ..services import notice_deadline
from .checks import ERROR, WARNING, check_text, make_check, reconcile
from .figures import flatten, notice_offices, tally

#: [decision] The programs whose notice an institution owes even in a month without any
#: investment; it also owes one in any other program it has investments in.
PROGRAMS_BY_KIND = {
    OrganisationKind.SALES_COMPANY: (ProgramCode.TOURISM,),
    OrganisationKind.PROJECT_OPERATOR: (ProgramCode.PUBLIC_INTEREST,),
    OrganisationKind.KDB: (ProgramCode.PUBLIC_INTEREST,),
}
#: Short program tags in receipt numbers (which must fit 32 characters).
RECEIPT_TAGS = {ProgramCode.TOURISM: "TR", ProgramCode.PUBLIC_INTEREST: "PI"}


# --- content and receipt ----------------------------------------------------------------------


def to_another_office(notice):
    """The notice goes to an office other than the institution's registered one (seed §6.H:
    a unit under another office's jurisdiction). Only such a notice names its office in its
    content and receipt number, so an institution reporting to its own office alone keeps the
    receipts and digests it always had."""
    return notice.recipient_office_id != notice.institution.office_id


def notice_content(notice):
    """What a submission certifies; its digest is the receipt's."""
    content = {
        "institution": notice.institution_id,
        "program": notice.program,
        "period": notice.period.strftime("%Y-%m"),
        "version": notice.version,
        "figures": notice.figures,
        "remarks": notice.remarks,
    }
    if to_another_office(notice):
        content["office"] = notice.recipient_office.code
    return content


def content_digest(content):
    """SHA-256 (hex) of the canonical JSON: sorted keys, no spaces, ASCII escapes."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def receipt_number(notice):
    """``MN-YYYYMM-institution-program-version``; a notice to another office than the
    institution's own carries that office's id before the version (``…-TR-O012-1``), so the
    notices of one month to two offices never share a number (at most 32 characters)."""
    office = f"O{notice.recipient_office_id:03d}-" if to_another_office(notice) else ""
    return (
        f"MN-{notice.period:%Y%m}-{notice.institution_id:04d}-"
        f"{RECEIPT_TAGS.get(notice.program, 'XX')}-{office}{notice.version}"
    )


def receipt(notice):
    if not notice.receipt_number:
        return None
    return {
        "number": notice.receipt_number,
        "submitted_at": notice.submitted_at,
        "digest": notice.digest,
    }


# --- verbs ------------------------------------------------------------------------------------


def _save(instance, *, by, verb, action=None):
    return audit.record(instance, by=by, verb=verb, action=action)


def _acting_institution(by, institution):
    """Only the institution itself computes and submits; the scheduled job (``by`` None)
    names the institution it works for."""
    if by is None:
        if institution is None or not institution.is_institution:
            raise ValidationError({"institution": _("Name the reporting institution.")})
        return institution
    if not by.is_institution:
        raise PermissionDenied(_("Only the institution itself prepares its monthly notice."))
    if institution is not None and institution.pk != by.organisation_id:
        raise PermissionDenied(_("An institution prepares only its own monthly notice."))
    return by.organisation


def _own_notice(by, notice):
    if not owns(by, notice):
        raise PermissionDenied(_("Only the institution itself prepares its monthly notice."))


def programs_of(institution):
    """The programs whose monthly notice the institution owes."""
    owned = set(PROGRAMS_BY_KIND.get(institution.kind, ()))
    owned |= set(institution.investments.order_by().values_list("program", flat=True).distinct())
    return sorted(owned)


def _office_names(ids):
    return ", ".join(str(office) for office in Office.objects.filter(pk__in=ids).order_by("name"))


def _notice_office(institution, program, period, office):
    """The id of the office the notice is computed for: ``office`` (an Office, id or code)
    when the institution owes it a notice that month or has one for it already; without it,
    the only office the institution owes a notice to."""
    owed = notice_offices(institution, program, period)
    if office is None:
        if len(owed) > 1:
            raise ValidationError(
                {
                    "office": _(
                        "You report to several offices for this month (%(offices)s): name the "
                        "office of the notice."
                    )
                    % {"offices": _office_names(owed)}
                }
            )
        return owed[0]
    if isinstance(office, Office):
        office_id = office.pk
    elif isinstance(office, str) and not office.isdigit():
        office_id = Office.objects.filter(code=office).values_list("pk", flat=True).first()
    else:
        office_id = int(office)
    known = MonthlyNotice.objects.filter(
        institution=institution, program=program, period=period, recipient_office=office_id
    )
    if office_id not in owed and not known.exists():
        raise ValidationError(
            {
                "office": _(
                    "You owe this office no notice for this month; your notices go to %(offices)s."
                )
                % {"offices": _office_names(owed)}
            }
        )
    return office_id


def _obligation(*, by, institution, program, period, office_id):
    """The monthly-notice obligation of one institution, program, month and office."""
    obligation = Obligation.objects.filter(
        kind=ObligationKind.MONTHLY_NOTICE,
        institution=institution,
        program=program.code,
        period=period,
        recipient_office_id=office_id,
    ).first()
    if obligation is None:
        obligation = _save(
            Obligation(
                kind=ObligationKind.MONTHLY_NOTICE,
                institution=institution,
                program=program.code,
                period=period,
                recipient_office_id=office_id,
                due_on=notice_deadline(program, period).due_on,
            ),
            by=by,
            verb="compute_notice",
        )
        announce.obligation_opened(obligation)
    return obligation


@transaction.atomic
def compute_notice(*, by, institution=None, program, period, office=None):
    """Create or refresh the draft notice of ``institution`` for ``program``, the month of
    ``period`` and ``office`` (which may be left out when the institution reports to one office
    only that month), and the monthly-notice obligation it answers. After a submission, the
    draft is the next version (an amendment)."""
    institution = _acting_institution(by, institution)
    program_row = Program.objects.filter(code=program).first()
    if program_row is None:
        raise ValidationError({"program": _("Unknown program.")})
    if program not in programs_of(institution):
        raise ValidationError({"program": _("You take no part in this program.")})
    period = period.replace(day=1)
    if period > timezone.localdate().replace(day=1):
        raise ValidationError({"period": _("This month has not begun yet.")})
    office_id = _notice_office(institution, program, period, office)

    obligation = _obligation(
        by=by, institution=institution, program=program_row, period=period, office_id=office_id
    )
    figures, before = tally(institution, program, period, office_id)
    versions = MonthlyNotice.objects.filter(
        institution=institution, program=program, period=period, recipient_office=office_id
    )
    draft = versions.select_for_update().filter(state=NoticeState.DRAFT).first()
    if draft is None:
        latest = versions.filter(state=NoticeState.SUBMITTED).first()
        draft = MonthlyNotice(
            institution=institution,
            program=program,
            period=period,
            version=(versions.aggregate(v=Max("version"))["v"] or 0) + 1,
            obligation=obligation,
            recipient_office_id=office_id,
            remarks=latest.remarks if latest else "",
        )
    draft.figures = figures
    draft.checks = reconcile(institution, program, period, figures, before, office_id)
    draft.computed_at = timezone.now()
    draft.warnings_confirmed = False
    return _save(draft, by=by, verb="compute_notice")


@transaction.atomic
def compute_notices(*, by, institution=None, program, period):
    """The drafts of every office the institution owes a ``program`` notice to for the month
    of ``period`` (seed §6.H), in the order of :func:`notice_offices`; one transaction each."""
    acting = _acting_institution(by, institution)
    owed = notice_offices(acting, program, period.replace(day=1))
    return [
        compute_notice(by=by, institution=institution, program=program, period=period, office=o)
        for o in owed
    ]


@transaction.atomic
def set_remarks(*, by, notice, remarks):
    _own_notice(by, notice)
    notice = MonthlyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError({"remarks": _("A submitted notice cannot change: amend it.")})
    notice.remarks = remarks.strip()
    return _save(notice, by=by, verb="set_remarks")


@transaction.atomic
def submit_notice(*, by, notice, confirm_warnings=False):
    """Submit a draft after the month is over: figures recomputed and equal to the draft's,
    no error-level check, warnings confirmed. Returns the receipt; files the obligation (of
    this office only: another office's notice of the month is another duty) and supersedes
    the previous submitted version."""
    _own_notice(by, notice)
    notice = (
        MonthlyNotice.objects.select_for_update(of=("self",))
        .select_related("institution", "recipient_office")
        .get(pk=notice.pk)
    )
    if notice.state != NoticeState.DRAFT:
        raise ValidationError({"state": _("Only a draft is submitted; amend a submitted one.")})
    today = timezone.localdate()
    if today <= months.month_end(notice.period):
        raise ValidationError({"period": _("The month is not over yet.")})
    institution = by.organisation
    office = notice.recipient_office_id
    figures, before = tally(institution, notice.program, notice.period, office)
    if figures != notice.figures:
        stored, fresh = flatten(notice.figures), flatten(figures)
        changed = sorted(k for k in stored.keys() | fresh.keys() if stored.get(k) != fresh.get(k))
        check = make_check("ledger_changed", figures=", ".join(changed) or "repayments details")
        raise ValidationError({"figures": ValidationError(check_text(check), code=check["code"])})
    notice.checks = reconcile(institution, notice.program, notice.period, figures, before, office)
    errors = [check_text(c) for c in notice.checks if c["level"] == ERROR]
    if errors:
        raise ValidationError({"checks": errors})
    warnings = [check_text(c) for c in notice.checks if c["level"] == WARNING]
    if warnings and not confirm_warnings:
        raise ValidationError(
            {"confirm_warnings": [_("Confirm these warnings to submit the notice:"), *warnings]}
        )

    earlier = MonthlyNotice.objects.select_for_update().filter(
        institution=institution,
        program=notice.program,
        period=notice.period,
        recipient_office=office,
        state=NoticeState.SUBMITTED,
    )
    for version in earlier:
        version.state = NoticeState.SUPERSEDED
        _save(version, by=by, verb="submit_notice", action="superseded")
    notice.state = NoticeState.SUBMITTED
    notice.submitted_at = timezone.now()
    notice.submitted_by = by
    notice.warnings_confirmed = bool(warnings)
    notice.receipt_number = receipt_number(notice)
    notice.digest = content_digest(notice_content(notice))
    _save(notice, by=by, verb="submit_notice", action="submitted")

    obligation = Obligation.objects.select_for_update().get(pk=notice.obligation_id)
    if obligation.filed_on is None:  # an amendment leaves the first filing as it was
        obligation.filed_on = today
        obligation.state = (
            ObligationState.FILED_ON_TIME
            if today <= obligation.due_on
            else ObligationState.FILED_LATE
        )
        _save(obligation, by=by, verb="submit_notice", action="filed")
    return receipt(notice)


@transaction.atomic
def amend_notice(*, by, notice):
    """A submitted notice never changes: its amendment is a new draft version computed from
    the ledger, which supersedes it once submitted."""
    _own_notice(by, notice)
    if notice.state != NoticeState.SUBMITTED:
        raise ValidationError({"state": _("Only the submitted version of a notice is amended.")})
    return compute_notice(
        by=by, program=notice.program, period=notice.period, office=notice.recipient_office_id
    )


#: The decisions an officer may take on a submitted notice (the same as on a report).


@transaction.atomic
def review_notice(*, by, notice, decision, note=""):
    """An officer of the notice's recipient office (or of the office it is a branch of) or HQ
    acknowledges a submitted notice or returns it for correction, saying what to correct; the
    institution answers a return by amending it (``amend_notice``), and the amendment, once
    submitted, waits for review again. Only the version in force (submitted, not superseded)
    is reviewed."""
    if not reviews(by):
        raise PermissionDenied(_("Only an immigration officer or HQ reviews notices."))
    notice = MonthlyNotice.objects.select_for_update().get(pk=notice.pk)
    if not reviews_for_office(by, notice.recipient_office_id):
        raise ValidationError({"notice": _("No such notice among those sent to your office.")})
    note = checked_decision(decision, note)
    if notice.state != NoticeState.SUBMITTED:
        raise ValidationError(
            {"notice": _("Only the submitted version in force of a notice is reviewed.")}
        )
    return record_review(by=by, verb="review_notice", decision=decision, note=note, notice=notice)


def compute_month(*, period, program=None, institution=None):
    """The scheduled job (SPEC §6, on the 1st): the draft of every institution, program and
    office for ``period``. A notice already submitted is left alone (an amendment is the
    institution's call); an institution that cannot be computed (no competent office known) is
    reported, not fatal. Returns ``{"computed": n, "skipped": n, "failed": {name: message}}``;
    re-runnable."""
    institutions = Organisation.objects.filter(kind__in=INSTITUTION_KINDS).exclude(
        designation_status=DesignationStatus.CANCELLED
    )
    if institution is not None:
        institutions = institutions.filter(pk=institution)
    done = {"computed": 0, "skipped": 0, "failed": {}}
    for organisation in institutions:
        for code in programs_of(organisation):
            if program is not None and code != program:
                continue
            try:
                owed = notice_offices(organisation, code, period)
            except ValidationError as exc:
                done["failed"][f"{organisation} ({code})"] = " ".join(exc.messages)
                continue
            for office in owed:
                versions = MonthlyNotice.objects.filter(
                    institution=organisation, program=code, period=period, recipient_office=office
                )
                if versions.exists() and not versions.filter(state=NoticeState.DRAFT).exists():
                    done["skipped"] += 1
                    continue
                try:
                    compute_notice(
                        by=None,
                        institution=organisation,
                        program=code,
                        period=period,
                        office=office,
                    )
                except ValidationError as exc:
                    done["failed"][f"{organisation} ({code})"] = " ".join(exc.messages)
                    continue
                done["computed"] += 1
    return done
