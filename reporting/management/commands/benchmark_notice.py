"""``manage.py benchmark_notice``: how long one monthly notice takes on a large ledger, against a
hand-written SQL aggregate of the same figures (the floor the ORM queries can hope for).
Results and how to read them: ``benchmarks/notice_benchmark.md``.

The ledger is the demo's, built by the one demo builder (``manage.py make_demo --investors N``,
any size): by default the notice of the demo's Jeju sales company; ``--institution ID`` times
another institution's ledger. Nothing is written except the notice drafts ``compute_notice``
saves.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from portal.models import Organisation, User
from portal.months import month_end, previous_month
from reporting import notices


class Command(BaseCommand):
    help = (
        "Time computing one monthly notice of the demo ledger (manage.py make_demo --investors "
        "N first) against a hand-written SQL aggregate, best of --repeat runs. --institution ID "
        "times another institution's ledger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--institution", type=int, help="default: the demo's company.jeju")
        parser.add_argument("--program", default="tourism")
        parser.add_argument("--month", help="YYYY-MM (default: the month just ended)")

    def handle(self, *args, repeat, institution, program, month, **options):
        if repeat < 1:
            raise CommandError("--repeat must be positive.")
        today = timezone.localdate()
        period = notices.parse_month(month) if month else previous_month(today)
        if institution is None:
            demo = User.objects.filter(username="company.jeju").first()
            if demo is None:
                raise CommandError("Build a demo ledger first: manage.py make_demo --investors N")
            institution = demo.organisation_id
        existing = Organisation.objects.filter(pk=institution).first()
        if existing is None:
            raise CommandError(f"No organisation #{institution}.")
        return self.measure(existing, program, period, repeat)

    def measure(self, institution, program, period, repeat):
        columns = notices.residence_columns()
        args = (institution, program, period)
        orm = best(repeat, lambda: notices.tally(*args, columns=columns))
        full = best(repeat, lambda: notices.compute_notice(
            by=None, institution=institution, program=program, period=period
        ))  # fmt: skip
        raw = best(repeat, lambda: sql_figures(*args, columns))
        figures = notices.tally(*args, columns=columns)[0]
        agree = notices.flatten(figures) == sql_figures(*args, columns)
        self.stdout.write(
            f"Notice {period:%Y-%m} of {institution} ({program}), "
            f"{figures['investments']['cumulative']:,} investments "
            f"({connection.vendor}, best of {repeat}):\n"
            f"  figures (ORM aggregation)  {orm:8.3f} s\n"
            f"  compute_notice (verb)      {full:8.3f} s\n"
            f"  hand-written SQL           {raw:8.3f} s\n"
            f"  ratio ORM / SQL            {orm / raw:8.2f}\n"
            f"  figures agree              {'yes' if agree else 'NO'}"
        )
        if not agree:
            raise CommandError("The ORM figures differ from the hand-written SQL.")


def best(repeat, work):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def sql_figures(institution, program, period, columns):
    """The notice's figures by hand-written SQL, one statement per table, flattened as
    ``notices.flatten`` names them: the floor for the ORM's queries. ``columns`` is
    ``notices.residence_columns()``, read once, as the ORM is given it."""
    start, end = period, month_end(period)
    mine = "i.institution_id = %s AND i.program = %s"
    span = [start, end, end, institution.pk, program]

    def window(day, value):
        return (
            f"SUM(CASE WHEN {day} >= %s AND {day} <= %s THEN {value} ELSE 0 END), "
            f"SUM(CASE WHEN {day} <= %s THEN {value} ELSE 0 END)"
        )

    def pair(new, cumulative):
        return {"new": new or 0, "cumulative": cumulative or 0}

    with connection.cursor() as cursor:

        def rows(query, params):
            cursor.execute(query, params)
            return cursor.fetchall()

        ((count_new, count_cumulative),) = rows(
            f"SELECT {window('i.contract_date', '1')} FROM investments_investment i "  # noqa: S608
            f"WHERE {mine}",
            span,
        )
        ((paid_new, paid_cumulative),) = rows(
            f"SELECT {window('p.paid_on', 'p.amount_krw')} FROM investments_payment p "  # noqa: S608
            f"JOIN investments_investment i ON i.id = p.investment_id WHERE {mine}",
            span,
        )
        ((back_new, back_cumulative, back_krw_new, back_krw_cumulative),) = rows(
            f"SELECT {window('c.recovered_on', '1')}, {window('c.recovered_on', 'c.amount_krw')} "  # noqa: S608
            "FROM investments_recovery c JOIN investments_investment i ON i.id = c.investment_id "
            f"WHERE {mine}",
            [start, end, end, *span],
        )
        nationality = rows(
            f"SELECT r.nationality, {window('i.contract_date', '1')} "  # noqa: S608
            "FROM investments_investment i JOIN investments_investor r ON r.id = i.investor_id "
            f"WHERE {mine} AND i.contract_date <= %s GROUP BY r.nationality",
            [*span, end],
        )
        groups = " ".join(
            f"WHEN g.code = '{key}' OR g.code LIKE '{key}-%%' THEN '{key}'"
            for key in columns[program]
        )
        residence = rows(
            f"SELECT CASE {groups} END AS grp, COUNT(DISTINCT g.person_id), "  # noqa: S608
            "COUNT(DISTINCT CASE WHEN g.granted_on < %s AND i.contract_date < %s "
            "THEN g.person_id END) "
            "FROM investments_statusgrant g "
            "JOIN investments_investor r ON r.person_id = g.person_id "
            "JOIN investments_investment i ON i.investor_id = r.id "
            f"WHERE {mine} AND r.institution_id = %s AND g.granted_on <= %s "
            "AND i.contract_date <= %s GROUP BY 1",
            [start, start, institution.pk, program, institution.pk, end, end],
        )
    figures = {
        "investments": pair(count_new, count_cumulative),
        "amount_krw": pair(paid_new, paid_cumulative),
        "repayments count": pair(back_new, back_cumulative),
        "repayments amount_krw": pair(back_krw_new, back_krw_cumulative),
        **{f"nationality {code}": pair(new, total) for code, new, total in nationality},
        **{f"residence {key}": pair(0, 0) for key in columns[program]},
    }
    for key, cumulative, before in residence:
        if key is not None:
            figures[f"residence {key}"] = pair(cumulative - before, cumulative)
    return figures
