"""The monthly status notice (seed §6.H, §7.F, §7.S; SPEC §5.2): an institution's figures for
one program, month and competent office, computed from the ledger as of the month's last day;
the reconciliation checks run before it is submitted; and the verbs that compute, annotate,
submit and amend it.

Offices. Seed §6.H sends a sales company's notice to "the Immigration Office … that has
jurisdiction over the location of the investment facility": a company with units in Jeju and in
Yeosu sends one notice to each office, each counting only the investments under that office
(the investment's competent office, fixed when it was recorded). Seed §7.F and §7.S send a
public-interest notice to the office the institution is registered with (KDB → Sejongno
Branch), so there is one notice with all of its investments; an operator registered with no
office falls back to its projects' offices, one notice each. :func:`notice_offices` says which
offices an institution owes a notice for a month; every figure below is for one of them.

Figures come from a few GROUP BY queries (about one per ledger table), never from a loop over
ledger rows, so a notice of a 200,000-investment ledger costs the same queries as a small one
(``benchmarks/notice_benchmark.md``). The same queries also count every cumulative figure up to
the previous month's end: that is cumulative(m−1) as the ledger stands today, which the
continuity check compares with the month's own figures, and with what the previous month's
notice said when it was submitted (a difference there means the ledger changed since).

Residence types count *people*: a principal investor enters a residence column once, in the
month when both are true — they hold a grant of that type and a contract with this institution
in this program. So someone granted F-2 again later, or granted before contracting here, is
counted once, and cumulative(m) = cumulative(m−1) + new(m) holds for every column.
"""

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investments.choices import ProgramCode
from investments.models import Investment, Payment, Program, Recovery, StatusGrant
from portal import audit, months
from portal.access import owns
from portal.choices import INSTITUTION_KINDS, DesignationStatus, OrganisationKind
from portal.models import Office, Organisation

from .choices import NoticeState, ObligationKind, ObligationState
from .models import MonthlyNotice, Obligation
from .services import by_permanent_resident, notice_deadline

#: [decision] Residence-type columns per program: the seed's F-1 / F-2 (tourism, §6.H) and
#: C-3 / F-2 (public interest, §7.F), plus F-5 for those who reached permanent residence.
RESIDENCE_KEYS = {
    ProgramCode.TOURISM: ("F-1", "F-2", "F-5"),
    ProgramCode.PUBLIC_INTEREST: ("C-3", "F-2", "F-5"),
}
#: [decision] The programs whose notice an institution owes even in a month without any
#: investment; it also owes one in any other program it has investments in.
PROGRAMS_BY_KIND = {
    OrganisationKind.SALES_COMPANY: (ProgramCode.TOURISM,),
    OrganisationKind.PROJECT_OPERATOR: (ProgramCode.PUBLIC_INTEREST,),
    OrganisationKind.KDB: (ProgramCode.PUBLIC_INTEREST,),
}
#: Short program tags in receipt numbers (which must fit 32 characters).
RECEIPT_TAGS = {ProgramCode.TOURISM: "TR", ProgramCode.PUBLIC_INTEREST: "PI"}
FILED = (ObligationState.FILED_ON_TIME, ObligationState.FILED_LATE)
ERROR, WARNING = "error", "warning"


# --- months -----------------------------------------------------------------------------------


def parse_month(text):
    """ "YYYY-MM" → the month's first day; a ValidationError on ``period`` otherwise."""
    try:
        return months.parse_month(text)
    except ValueError:
        raise ValidationError({"period": _("Enter the month as YYYY-MM.")}) from None


def _windows(field, period):
    """The month (new), up to its end (cumulative), up to the previous month's end (before)."""
    return {
        "new": Q(**{f"{field}__gte": period, f"{field}__lte": months.month_end(period)}),
        "cumulative": Q(**{f"{field}__lte": months.month_end(period)}),
        "before": Q(**{f"{field}__lt": period}),
    }


def _pair(row, prefix=""):
    return {"new": row[f"{prefix}new"], "cumulative": row[f"{prefix}cumulative"]}


# --- offices ----------------------------------------------------------------------------------


def _by_location(institution, program):
    """Seed §6.H: a tourism notice goes to the office of each facility's location. Seed §7.F,
    §7.S: a public-interest notice to the institution's registered office; only an operator
    registered with none is routed by its projects' offices."""
    return program == ProgramCode.TOURISM or institution.office_id is None


def ledger_lookups(institution, program, office=None, *, path=""):
    """Lookups (from ``path`` to an investment) for the investments of ``institution`` and
    ``program`` that its notice to ``office`` (an id; None: every office) counts."""
    lookups = {f"{path}institution": institution, f"{path}program": program}
    if office is not None and _by_location(institution, program):
        lookups[f"{path}office"] = office
    return lookups


def notice_offices(institution, program, period):
    """The ids of the offices ``institution`` owes a ``program`` notice to for the month of
    ``period``: those of its investments contracted by the month's end (seed §6.H), or its
    registered office (seed §7.F, §7.S; and a tourism company without an investment yet)."""
    if not _by_location(institution, program):
        return [institution.office_id]
    offices = list(
        Investment.objects.filter(
            institution=institution, program=program, contract_date__lte=months.month_end(period)
        )
        .order_by("office_id")
        .values_list("office_id", flat=True)
        .distinct()
    )
    if offices:
        return offices
    if institution.office_id is None:
        raise ValidationError({"institution": _("No competent office is known for you.")})
    return [institution.office_id]


# --- figures ----------------------------------------------------------------------------------


def tally(institution, program, period, office=None):
    """``(figures, before)``: the notice's figures (SPEC §8.2 shape) and every cumulative figure
    at the end of the previous month, keyed as in :func:`flatten`. ``office`` (an id) limits
    them to the investments whose notice goes to that office (:func:`ledger_lookups`); without
    it they cover the whole institution."""
    end = months.month_end(period)
    investments = Investment.objects.filter(**ledger_lookups(institution, program, office))
    ledger = ledger_lookups(institution, program, office, path="investment__")
    by_contract, by_payment = _windows("contract_date", period), _windows("paid_on", period)

    counts = investments.aggregate(**{k: Count("pk", filter=q) for k, q in by_contract.items()})
    paid = Payment.objects.filter(**ledger).aggregate(
        **{k: Sum("amount_krw", filter=q, default=0) for k, q in by_payment.items()}
    )
    recovered = _windows("recovered_on", period)
    repaid = Recovery.objects.filter(**ledger).aggregate(
        **{f"count_{k}": Count("pk", filter=q) for k, q in recovered.items()},
        **{f"krw_{k}": Sum("amount_krw", filter=q, default=0) for k, q in recovered.items()},
    )
    nationality = (
        investments.filter(contract_date__lte=end)
        .values(code=F("investor__nationality"))
        .annotate(**{k: Count("pk", filter=q) for k, q in by_contract.items()})
        .order_by("code")
    )
    residence = {row["group"]: row for row in _residence(institution, program, period, office)}

    figures = {
        "investments": _pair(counts),
        "amount_krw": _pair(paid),
        "residence": {},
        "nationality": {row["code"]: _pair(row) for row in nationality},
        "repayments": {"count": _pair(repaid, "count_"), "amount_krw": _pair(repaid, "krw_")},
    }
    before = {
        "investments": counts["before"],
        "amount_krw": paid["before"],
        "repayments count": repaid["count_before"],
        "repayments amount_krw": repaid["krw_before"],
        **{f"nationality {row['code']}": row["before"] for row in nationality},
    }
    for key in RESIDENCE_KEYS[program]:
        row = residence.get(key, {"cumulative": 0, "before": 0})
        figures["residence"][key] = {
            "new": row["cumulative"] - row["before"],
            "cumulative": row["cumulative"],
        }
        before[f"residence {key}"] = row["before"]
    if institution.kind == OrganisationKind.KDB:  # seed §7.S: "early repayment details"
        figures["repayments"]["details"] = repayment_details(institution, program, period, office)
    return figures, before


def _residence(institution, program, period, office=None):
    """Per residence column, the principal investors counted up to the month's end and up to
    the previous month's end: people with a grant of that type and a contract here (under
    ``office``), both by then. Grants × the person's contracts here, in one grouped query."""
    end = months.month_end(period)
    group = Case(
        *(
            When(Q(code=key) | Q(code__code__startswith=f"{key}-"), then=Value(key))
            for key in RESIDENCE_KEYS[program]
        ),
        output_field=CharField(),
    )
    contract = "person__investor_records__investments__contract_date"
    # one filter() call: the program, office and date are those of the same contract
    here = ledger_lookups(
        institution, program, office, path="person__investor_records__investments__"
    )
    return (
        StatusGrant.objects.filter(
            person__investor_records__institution=institution,
            **here,
            **{f"{contract}__lte": end},
            granted_on__lte=end,
        )
        .annotate(group=group)
        .filter(group__isnull=False)
        .values("group")
        .annotate(
            cumulative=Count("person", distinct=True),
            before=Count(
                "person",
                distinct=True,
                filter=Q(granted_on__lt=period, **{f"{contract}__lt": period}),
            ),
        )
        .order_by()
    )


def month_recoveries(institution, program, period, office=None):
    """The month's recoveries. The institution is tested per recovery (``EXISTS``) so the
    database starts from the few recoveries of the month, not from all the investments."""
    mine = Investment.objects.filter(
        pk=OuterRef("investment_id"), **ledger_lookups(institution, program, office)
    )
    return Recovery.objects.filter(
        Exists(mine), recovered_on__gte=period, recovered_on__lte=months.month_end(period)
    ).order_by("recovered_on", "pk")


def repayment_details(institution, program, period, office=None):
    """The month's recoveries, one line each (KDB's "early repayment details", seed §7.S)."""
    rows = month_recoveries(institution, program, period, office).values(
        "amount_krw", "reason", day=F("recovered_on"), investor=F("investment__investor__full_name")
    )
    return [
        {
            "date": row["day"].isoformat(),
            "investor": row["investor"],
            "amount_krw": row["amount_krw"],
            "reason": row["reason"],
        }
        for row in rows
    ]


def flatten(figures):
    """Every {new, cumulative} pair by a readable name: "investments", "residence F-2",
    "nationality CN", "repayments amount_krw"."""
    pairs = {"investments": figures["investments"], "amount_krw": figures["amount_krw"]}
    for section in ("residence", "nationality"):
        for code, pair in figures[section].items():
            pairs[f"{section} {code}"] = pair
    for key in ("count", "amount_krw"):
        pairs[f"repayments {key}"] = figures["repayments"][key]
    return pairs


# --- reconciliation checks --------------------------------------------------------------------


#: The checks of SPEC §5.2 by code: (level, text). Errors block submission; warnings need an
#: explicit confirmation.
CHECKS = {
    "cumulative_continuity": (
        ERROR,
        gettext_lazy(
            "%(figure)s: cumulative %(cumulative)s is not last month's %(previous)s plus this "
            "month's %(new)s."
        ),
    ),
    "previous_notice_differs": (
        WARNING,
        gettext_lazy(
            "%(figure)s: last month's submitted notice (v%(version)s) gave a cumulative %(said)s; "
            "the ledger now gives %(now)s. The ledger changed after that submission: consider "
            "amending it."
        ),
    ),
    "breakdown_totals": (
        ERROR,
        gettext_lazy(
            "The nationality breakdown adds up to %(broken)s %(key)s investments, not %(total)s."
        ),
    ),
    "recovery_without_report": (
        WARNING,
        gettext_lazy(
            "Recovery #%(pk)s of %(investor)s on %(recovered_on)s "
            "(KRW %(amount_krw)s): its withdrawal report is not filed yet."
        ),
    ),
    "ledger_changed": (
        ERROR,
        gettext_lazy(
            "The ledger has changed since this draft was computed (%(figures)s): compute the "
            "notice again and review it before submitting."
        ),
    ),
}


def _check(code, **params):
    level, text = CHECKS[code]
    return {"code": code, "level": level, "text": str(text) % params}


def reconcile(institution, program, period, figures, before, office=None):
    """The reconciliation checks of the notice to ``office``, as ``[{code, level, text}]``."""
    checks = []
    for name, pair in flatten(figures).items():
        previous = before.get(name, 0)
        if pair["cumulative"] != previous + pair["new"]:
            checks.append(_check("cumulative_continuity", figure=name, previous=previous, **pair))

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
                    _check(
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
            checks.append(_check("breakdown_totals", broken=broken, key=key, total=total))

    unreported = (
        # a recovery by a permanent resident opens no report (seed §6.H): nothing to warn of
        month_recoveries(institution, program, period, office)
        .exclude(by_permanent_resident())
        .exclude(obligation__state__in=FILED)
        .values("pk", "recovered_on", "amount_krw", investor=F("investment__investor__full_name"))
    )
    for row in unreported:
        row["amount_krw"] = f"{row['amount_krw']:,}"
        checks.append(_check("recovery_without_report", **row))
    return checks


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
        check = _check("ledger_changed", figures=", ".join(changed) or "repayments details")
        raise ValidationError({"figures": ValidationError(check["text"], code=check["code"])})
    notice.checks = reconcile(institution, notice.program, notice.period, figures, before, office)
    errors = [c["text"] for c in notice.checks if c["level"] == ERROR]
    if errors:
        raise ValidationError({"checks": errors})
    warnings = [c["text"] for c in notice.checks if c["level"] == WARNING]
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
