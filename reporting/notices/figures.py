"""The figures of a monthly status notice (seed §6.H, §7.F, §7.S; SPEC §5.2) and the offices
they are counted for.

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

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.utils.translation import gettext as _

from investments.choices import ProgramCode
from investments.models import Investment, Payment, Recovery, RuleSetting, StatusGrant
from portal import months
from portal.choices import OrganisationKind

#: The residence-type columns of the prescribed form, per program: F-1 / F-2 (tourism, seed
#: §6.H) and C-3 / F-2 (public interest, §7.F, §7.S). The form fixes them: a change is a new
#: form (a new workbook layout), not a value.
FORM_RESIDENCE_KEYS = {
    ProgramCode.TOURISM: ("F-1", "F-2"),
    ProgramCode.PUBLIC_INTEREST: ("C-3", "F-2"),
}
#: The column the form does not have: the investors who reached permanent residence. Shown
#: while the rule setting ``notice_f5_column`` is 1 ([decision], docs/rules.md).
PERMANENT_RESIDENCE_KEY = "F-5"


def residence_columns():
    """``{program: residence columns}`` as the administrator has set them (one query): the
    form's columns, and F-5 after them when the rule setting ``notice_f5_column`` is 1. Read
    once by whoever computes notices and passed to :func:`tally`."""
    shown = RuleSetting.objects.filter(key="notice_f5_column").values_list("value", flat=True)
    extra = (PERMANENT_RESIDENCE_KEY,) if shown.first() else ()
    return {program: keys + extra for program, keys in FORM_RESIDENCE_KEYS.items()}


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


def tally(institution, program, period, office=None, *, columns=None):
    """``(figures, before)``: the notice's figures (SPEC §8.2 shape) and every cumulative figure
    at the end of the previous month, keyed as in :func:`flatten`. ``office`` (an id) limits
    them to the investments whose notice goes to that office (:func:`ledger_lookups`); without
    it they cover the whole institution. ``columns`` is :func:`residence_columns`' answer,
    read here when not given."""
    keys = (columns or residence_columns())[program]
    end = months.month_end(period)
    investments = Investment.objects.filter(**ledger_lookups(institution, program, office))
    ledger = ledger_lookups(institution, program, office, path="investment__")
    by_contract, by_payment = _windows("contract_date", period), _windows("paid_on", period)

    paid = Payment.objects.filter(**ledger).aggregate(
        **{k: Sum("amount_krw", filter=q, default=0) for k, q in by_payment.items()}
    )
    recovered = _windows("recovered_on", period)
    repaid = Recovery.objects.filter(**ledger).aggregate(
        **{f"count_{k}": Count("pk", filter=q) for k, q in recovered.items()},
        **{f"krw_{k}": Sum("amount_krw", filter=q, default=0) for k, q in recovered.items()},
    )
    nationality = list(
        investments.filter(contract_date__lte=end)
        .values(code=F("investor__nationality"))
        .annotate(**{k: Count("pk", filter=q) for k, q in by_contract.items()})
        .order_by("code")
    )
    residence = {
        row["group"]: row for row in _residence(institution, program, period, office, keys)
    }
    # every window ends by the month's end, so the investments are their nationalities' sum
    # (one query fewer over the whole history)
    counts = {k: sum(row[k] for row in nationality) for k in by_contract}

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
    for key in keys:
        row = residence.get(key, {"cumulative": 0, "before": 0})
        figures["residence"][key] = {
            "new": row["cumulative"] - row["before"],
            "cumulative": row["cumulative"],
        }
        before[f"residence {key}"] = row["before"]
    if institution.kind == OrganisationKind.KDB:  # seed §7.S: "early repayment details"
        figures["repayments"]["details"] = repayment_details(institution, program, period, office)
    return figures, before


def _residence(institution, program, period, office, keys):
    """Per residence column, the principal investors counted up to the month's end and up to
    the previous month's end: people with a grant of that type and a contract here (under
    ``office``), both by then. Grants × the person's contracts here, in one grouped query."""
    end = months.month_end(period)
    group = Case(
        *(When(Q(code=key) | Q(code__code__startswith=f"{key}-"), then=Value(key)) for key in keys),
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
