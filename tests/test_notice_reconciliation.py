"""Every monthly notice of a realistic demo ledger reconciles (SPEC §5.2).

``make_demo --investors 2000`` builds twelve years of sales, payments, recoveries and grants
for company.jeju (in Jeju and Yeosu), company.incheon and KDB. For every institution, program
and month from its first contract through the current month, each computed notice (one per
office, seed §6.H) must carry no error-level check and their figures together must equal an
independent aggregate written here in plain SQL: one GROUP BY
per ledger table over all months at once, cumulated month by month in Python.

The SQL counts a person in a residence column from the later of their first grant of that
type and their first contract with the institution in the program (``reporting.notices``
explains why), derived here from the status code's text rather than the code list.
"""

from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from portal.models import Organisation
from reporting import notices

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VENDOR_SQL = {
    "sqlite": {
        "month": "substr({}, 1, 7)",
        "later": "max({}, {})",
        "group": (
            "CASE WHEN instr(substr({0}, instr({0}, '-') + 1), '-') > 0 THEN "
            "substr({0}, 1, instr({0}, '-') + instr(substr({0}, instr({0}, '-') + 1), '-') - 1) "
            "ELSE {0} END"
        ),
    },
    "postgresql": {
        "month": "to_char({}, 'YYYY-MM')",
        "later": "greatest({}, {})",
        "group": "split_part({0}, '-', 1) || '-' || split_part({0}, '-', 2)",
    },
}


def sql(name, *columns):
    return VENDOR_SQL[connection.vendor][name].format(*columns)


def fetch(query):
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def monthly_aggregates():
    """{(institution, program): {month "YYYY-MM": {figure name: new}}} straight from SQL."""
    new = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    contracts = fetch(f"""
        SELECT i.institution_id, i.program, {sql("month", "i.contract_date")}, r.nationality,
               COUNT(*)
        FROM investments_investment i JOIN investments_investor r ON r.id = i.investor_id
        GROUP BY 1, 2, 3, 4""")  # noqa: S608 - no user input
    for institution, program, month, nationality, count in contracts:
        new[institution, program][month]["investments"] += count
        new[institution, program][month][f"nationality {nationality}"] += count
    payments = fetch(f"""
        SELECT i.institution_id, i.program, {sql("month", "p.paid_on")}, SUM(p.amount_krw)
        FROM investments_payment p JOIN investments_investment i ON i.id = p.investment_id
        GROUP BY 1, 2, 3""")  # noqa: S608
    for institution, program, month, krw in payments:
        new[institution, program][month]["amount_krw"] += krw
    recoveries = fetch(f"""
        SELECT i.institution_id, i.program, {sql("month", "c.recovered_on")}, COUNT(*),
               SUM(c.amount_krw)
        FROM investments_recovery c JOIN investments_investment i ON i.id = c.investment_id
        GROUP BY 1, 2, 3""")  # noqa: S608
    for institution, program, month, count, krw in recoveries:
        new[institution, program][month]["repayments count"] += count
        new[institution, program][month]["repayments amount_krw"] += krw
    residents = fetch(f"""
        SELECT institution_id, program, grp, {sql("month", sql("later", "granted", "contracted"))},
               COUNT(*)
        FROM (
            SELECT r.institution_id, i.program, g.person_id, {sql("group", "g.code")} AS grp,
                   MIN(g.granted_on) AS granted, MIN(i.contract_date) AS contracted
            FROM investments_statusgrant g
            JOIN investments_investor r ON r.person_id = g.person_id
            JOIN investments_investment i ON i.investor_id = r.id
            GROUP BY 1, 2, 3, 4
        ) entries
        GROUP BY 1, 2, 3, 4""")  # noqa: S608
    for institution, program, group, month, count in residents:
        if group in notices.residence_columns()[program]:
            new[institution, program][month][f"residence {group}"] += count
    return new


def summed(drafts):
    """The flattened figures of several offices' notices, added up pair by pair."""
    total = defaultdict(lambda: {"new": 0, "cumulative": 0})
    for notice in drafts:
        for name, pair in notices.flatten(notice.figures).items():
            total[name]["new"] += pair["new"]
            total[name]["cumulative"] += pair["cumulative"]
    return dict(total)


def months(first, last):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield date(year, month, 1)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def test_every_notice_of_the_demo_ledger_reconciles_with_sql():
    call_command("make_demo", "--investors", "2000", "--password", "pw-demo-2026", verbosity=0)
    aggregates = monthly_aggregates()
    today = timezone.localdate()
    first_contract = {
        (institution, program): date.fromisoformat(f"{min(by_month)}-01")
        for (institution, program), by_month in aggregates.items()
        if any("investments" in figures for figures in by_month.values())
    }
    assert len(first_contract) == 3  # company.jeju and company.incheon (tourism), KDB

    computed = 0
    for (institution_id, program), first in sorted(first_contract.items()):
        institution = Organisation.objects.get(pk=institution_id)
        keys = [f"residence {key}" for key in notices.residence_columns()[program]]
        running = defaultdict(int)
        for period in months(first, today):
            # one notice per office (seed §6.H): each reconciles, and together they are the
            # institution's ledger as SQL counts it
            drafts = notices.compute_notices(
                by=None, institution=institution, program=program, period=period
            )
            for notice in drafts:
                errors = [c for c in notice.checks if c["level"] == "error"]
                assert errors == [], (institution.name, program, period, notice.recipient_office)

            month_new = aggregates[institution_id, program].get(f"{period:%Y-%m}", {})
            expected = {}
            for name in {*running, *month_new, "investments", "amount_krw", *keys,
                         "repayments count", "repayments amount_krw"}:  # fmt: skip
                running[name] += month_new.get(name, 0)
                expected[name] = {"new": month_new.get(name, 0), "cumulative": running[name]}
            assert summed(drafts) == expected, (institution.name, period)
            details = [n.figures["repayments"].get("details") for n in drafts]
            if details[0] is not None:
                assert sum(map(len, details)) == expected["repayments count"]["new"]
            computed += 1
    assert computed > 300
