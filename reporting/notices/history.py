"""The figures of many monthly notices at once: every month from ``first`` to ``last`` of every
institution, program and office, the same figures :func:`.figures.tally` gives month by month.

``tally`` answers one notice with a few grouped queries, each reading the institution's whole
history up to the month's end: recomputing every notice since 2014 that way reads the history
once per month (issue "national scale", item 5; docs/performance.md). Here each ledger table is
read once, grouped by institution, program, recipient office and month, and the cumulative
figures are running sums of the months; a residence column counts a person from the month in
which both their first grant of that type and their first contract here are reached, which is
when ``tally``'s "grant and contract by the month's end" first holds. The offices owed each
month are :func:`.figures.notice_offices`'s.

Callers: the recheck of submitted notices after a ledger change (``reporting.amendments``),
which compares every submitted month from the change on.
"""

from collections import defaultdict

from django.db.models import Case, CharField, Count, F, IntegerField, Min, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from investments.choices import ProgramCode
from investments.models import Investment, Payment, Recovery, StatusGrant
from portal import months
from portal.choices import INSTITUTION_KINDS, DesignationStatus, OrganisationKind
from portal.models import Organisation

from .figures import residence_columns
from .services import PROGRAMS_BY_KIND

#: Rows read at a time from the two per-person queries (a server-side cursor on PostgreSQL).
CHUNK = 10_000


def _recipient(path=""):
    """The office an investment's figures are counted for (:func:`.figures.ledger_lookups`):
    its own competent office in a notice routed by location (tourism, seed §6.H; an operator
    registered with no office), the institution's registered office otherwise (§7.F, §7.S)."""
    return Case(
        When(
            Q(**{f"{path}program": ProgramCode.TOURISM})
            | Q(**{f"{path}institution__office__isnull": True}),
            then=F(f"{path}office"),
        ),
        default=F(f"{path}institution__office"),
        output_field=IntegerField(),
    )


def _key(path=""):
    return {
        "inst": F(f"{path}institution"),
        "prog": F(f"{path}program"),
        "recipient": _recipient(path),
    }


def _residence_group(columns):
    keys = sorted({key for keys in columns.values() for key in keys})
    return Case(
        *(When(Q(code=key) | Q(code__code__startswith=f"{key}-"), then=Value(key)) for key in keys),
        output_field=CharField(),
    )


def _grants_by_person(rows):
    """``(person, {column: first grant})`` from rows ordered by person."""
    person, granted = None, {}
    for row in rows:
        if row["person"] != person:
            if person is not None:
                yield person, granted
            person, granted = row["person"], {}
        granted[row["group"]] = row["first"]
    if person is not None:
        yield person, granted


def _ledger(institutions, program, columns):
    """Per (institution, program, office): the changes of each month, read once."""
    investments = Investment.objects.filter(institution__in=institutions)
    if program is not None:
        investments = investments.filter(program=program)
    ledger = {"investment__in": investments}
    deltas = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    rows = (
        investments.values(
            **_key(), code=F("investor__nationality"), month=TruncMonth("contract_date")
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        month = deltas[row["inst"], row["prog"], row["recipient"]][row["month"]]
        month["investments"] += row["n"]
        month[f"nationality {row['code']}"] += row["n"]
    paid = (
        Payment.objects.filter(**ledger)
        .values(**_key("investment__"), month=TruncMonth("paid_on"))
        .annotate(krw=Sum("amount_krw"))
        .order_by()
    )
    for row in paid:
        deltas[row["inst"], row["prog"], row["recipient"]][row["month"]]["amount_krw"] += row["krw"]
    repaid = (
        Recovery.objects.filter(**ledger)
        .values(**_key("investment__"), month=TruncMonth("recovered_on"))
        .annotate(n=Count("pk"), krw=Sum("amount_krw"))
        .order_by()
    )
    for row in repaid:
        month = deltas[row["inst"], row["prog"], row["recipient"]][row["month"]]
        month["repayments count"] += row["n"]
        month["repayments amount_krw"] += row["krw"]

    # Residence: the month each person enters each column (first grant of the type and first
    # contract here, whichever is later). Both sides come ordered by person and are merged as
    # they stream, so memory stays flat however many people the ledger holds.
    grants = StatusGrant.objects.all()
    if len(institutions) == 1:  # one institution's clients, not every grant of the country
        grants = grants.filter(person__investor_records__institution=institutions[0])
    grants = (
        grants.annotate(group=_residence_group(columns))
        .filter(group__isnull=False)
        .values("person", "group")
        .annotate(first=Min("granted_on"))
        .order_by("person")
    )
    contracts = (
        investments.filter(investor__institution=F("institution"))
        .values(**_key(), person=F("investor__person"))
        .annotate(first=Min("contract_date"))
        .order_by("person")
    )
    people = _grants_by_person(grants.iterator(chunk_size=CHUNK))
    person, granted = next(people, (None, None))
    for row in contracts.iterator(chunk_size=CHUNK):
        while person is not None and person < row["person"]:
            person, granted = next(people, (None, None))
        if person != row["person"]:
            continue
        ledger_key = row["inst"], row["prog"], row["recipient"]
        for key in columns[row["prog"]]:
            if key in granted:
                entry = max(granted[key], row["first"]).replace(day=1)
                deltas[ledger_key][entry][f"residence {key}"] += 1
    return deltas


def _details(institutions, program, first, last):
    """KDB's early repayment details (seed §7.S) of every month, in ``repayment_details``'
    order."""
    recoveries = (
        Recovery.objects.filter(
            investment__institution__in=[o for o in institutions if o.kind == OrganisationKind.KDB],
            recovered_on__gte=first,
            recovered_on__lte=months.month_end(last),
        )
        .values(
            "amount_krw",
            "reason",
            **_key("investment__"),
            day=F("recovered_on"),
            investor=F("investment__investor__full_name"),
        )
        .order_by("recovered_on", "pk")
    )
    if program is not None:
        recoveries = recoveries.filter(investment__program=program)
    details = defaultdict(list)
    for row in recoveries:
        key = row["inst"], row["prog"], row["recipient"], row["day"].replace(day=1)
        details[key].append(
            {
                "date": row["day"].isoformat(),
                "investor": row["investor"],
                "amount_krw": row["amount_krw"],
                "reason": row["reason"],
            }
        )
    return details


def _figures(keys, cumulative, new):
    def pair(name):
        return {"new": new.get(name, 0), "cumulative": cumulative.get(name, 0)}

    nationality = sorted(
        name for name, total in cumulative.items() if name.startswith("nationality ") and total
    )
    return {
        "investments": pair("investments"),
        "amount_krw": pair("amount_krw"),
        "residence": {key: pair(f"residence {key}") for key in keys},
        "nationality": {name.split(" ", 1)[1]: pair(name) for name in nationality},
        "repayments": {
            "count": pair("repayments count"),
            "amount_krw": pair("repayments amount_krw"),
        },
    }


def notice_history(first, last, *, institution=None, program=None):
    """``{(institution id, program, office id, month): figures}`` for every notice owed from
    the month of ``first`` to that of ``last`` (each as :func:`.figures.tally` computes it):
    every institution not cancelled, or ``institution`` (an id) alone; every program it
    reports in, or ``program`` alone. An institution that owes a notice but has no competent
    office is left out, as the monthly job reports it instead of computing it."""
    first, last = first.replace(day=1), last.replace(day=1)
    institutions = Organisation.objects.filter(kind__in=INSTITUTION_KINDS).exclude(
        designation_status=DesignationStatus.CANCELLED
    )
    if institution is not None:
        institutions = institutions.filter(pk=institution)
    institutions = list(institutions)
    columns = residence_columns()
    deltas = _ledger(institutions, program, columns)
    details = _details(institutions, program, first, last)

    history = {}
    for organisation in institutions:
        programs = set(PROGRAMS_BY_KIND.get(organisation.kind, ()))
        programs |= {code for (inst, code, _office) in deltas if inst == organisation.pk}
        for code in sorted(programs):
            if program is not None and code != program:
                continue
            offices = sorted(
                office for (inst, c, office) in deltas if inst == organisation.pk and c == code
            )
            cumulative = {office: defaultdict(int) for office in offices}
            opened = set()  # offices with a contract by the month's end
            pending = {
                office: sorted(deltas[organisation.pk, code, office].items()) for office in offices
            }
            # from the first change on: the running sums need every month before ``first``
            month = min([first, *(rows[0][0] for rows in pending.values() if rows)])
            while month <= last:
                owed = []
                for office in offices:
                    rows = pending[office]
                    new = rows.pop(0)[1] if rows and rows[0][0] == month else {}
                    for name, value in new.items():
                        cumulative[office][name] += value
                    if cumulative[office]["investments"]:
                        opened.add(office)
                    if month >= first:
                        owed.append((office, new))
                if month >= first:
                    routed = code == ProgramCode.TOURISM or organisation.office_id is None
                    if routed:
                        shown = [(o, new) for o, new in owed if o in opened]
                        if not shown and organisation.office_id is not None:
                            shown = [(organisation.office_id, {})]
                    else:
                        shown = [(organisation.office_id, dict(owed[0][1]) if owed else {})]
                    for office, new in shown:
                        figures = _figures(columns[code], cumulative.get(office, {}), new)
                        if organisation.kind == OrganisationKind.KDB:
                            figures["repayments"]["details"] = details.get(
                                (organisation.pk, code, office, month), []
                            )
                        history[organisation.pk, code, office, month] = figures
                month = months.add_months(month, 1)
    return history
