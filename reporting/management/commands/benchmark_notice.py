"""``manage.py benchmark_notice --investments N``: how long one monthly notice takes on a large
ledger, against a hand-written SQL aggregate of the same figures (the floor the ORM queries
can hope for). Results and how to read them: ``benchmarks/notice_benchmark.md``.

The ledger is synthetic and throwaway: a new sales company in the Jeju zone with N investments
(one investor each), three payments per investment, a recovery for one in twenty and residence
grants for most, written with ``bulk_create`` in chunks and committed, so the timings are those
of an ordinary database rather than of one large open transaction. Afterwards it is deleted
with plain DELETE statements (no per-row signals or history), whatever happened in between.
``--institution ID`` times the notice of an existing institution instead, building nothing.
"""

import random
import time
import uuid
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from investments.models import Investment, Investor, Payment, Person, Recovery, StatusGrant, Zone
from portal.choices import OrganisationKind
from portal.models import Event, Organisation
from reporting import notices
from reporting.models import MonthlyNotice, Obligation

CHUNK = 20_000
FIRST_CONTRACT = date(2014, 1, 1)
NATIONALITIES = ["CN"] * 14 + ["VN", "RU", "US", "JP", "TW", "KZ", "MN", "ID"]


class Command(BaseCommand):
    help = (
        "Time computing one monthly notice on a synthetic ledger of N investments (default "
        "200,000) against a hand-written SQL aggregate, best of --repeat runs; the synthetic "
        "ledger is deleted afterwards. --institution ID times an existing ledger instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investments", type=int, default=200_000)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--institution", type=int, help="time this institution's ledger")
        parser.add_argument("--program", default="tourism", help="with --institution")
        parser.add_argument("--month", help="YYYY-MM (default: the month just ended)")

    def handle(self, *args, investments, repeat, seed, institution, program, month, **options):
        if investments < 1 or repeat < 1:
            raise CommandError("--investments and --repeat must be positive.")
        today = timezone.localdate()
        period = notices.parse_month(month) if month else notices.previous_month(today)
        if institution is not None:
            existing = Organisation.objects.filter(pk=institution).first()
            if existing is None:
                raise CommandError(f"No organisation #{institution}.")
            return self.measure(existing, program, period, repeat)
        if not Zone.objects.filter(code="jeju").exists():
            raise CommandError("Load the reference data first: manage.py load_seeds.")
        started, built = time.perf_counter(), None
        try:
            with transaction.atomic():
                built = build_ledger(investments, random.Random(seed), today)
            self.stdout.write(
                f"Built {investments:,} investments in {time.perf_counter() - started:.1f} s."
            )
            self.measure(built, "tourism", period, repeat)
        finally:
            if built is not None:
                remove_ledger(built)
                self.stdout.write("The synthetic ledger was deleted.")

    def measure(self, institution, program, period, repeat):
        args = (institution, program, period)
        orm = best(repeat, lambda: notices.tally(*args))
        full = best(repeat, lambda: notices.compute_notice(
            by=None, institution=institution, program=program, period=period
        ))  # fmt: skip
        raw = best(repeat, lambda: sql_figures(*args))
        figures = notices.tally(*args)[0]
        agree = notices.flatten(figures) == sql_figures(*args)
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


def build_ledger(n, rng, today):
    """A throwaway sales company with ``n`` investments in Jeju; returns the company."""
    tag = uuid.uuid4().hex[:12]
    zone = Zone.objects.select_related("office").get(code="jeju")
    institution = Organisation.objects.create(
        name=f"Benchmark {tag}", kind=OrganisationKind.SALES_COMPANY, office=zone.office
    )
    span = (today - FIRST_CONTRACT).days
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        people = Person.objects.bulk_create(
            Person(identity_hash=f"{tag}{start + i:052x}", nationality=rng.choice(NATIONALITIES))
            for i in range(size)
        )
        investors = Investor.objects.bulk_create(
            Investor(
                institution=institution,
                person=p,
                full_name=f"Investor {start + i}",
                nationality=p.nationality,
                date_of_birth=date(1970, 1, 1),
                passport_number=f"B{start + i:08d}",
                passport_hash=p.identity_hash,
            )  # fmt: skip
            for i, p in enumerate(people)
        )
        investments = Investment.objects.bulk_create(
            Investment(
                investor=r,
                institution=institution,
                program="tourism",
                zone=zone,
                investor_class="registered_owner",
                office=zone.office,
                contract_date=FIRST_CONTRACT + timedelta(days=rng.randrange(span)),
                contract_amount_krw=1_000_000_000,
            )  # fmt: skip
            for r in investors
        )
        payments, recoveries, grants = [], [], []
        for inv in investments:
            for days, share in ((0, 10), (60, 40), (150, 50)):
                if (day := inv.contract_date + timedelta(days=days)) <= today:
                    payments.append(Payment(
                        investment=inv, paid_on=day, amount_krw=share * 10_000_000, kind="final"
                    ))  # fmt: skip
            roll, paid_off = rng.random(), inv.contract_date + timedelta(days=150)
            if roll < 0.05 and (back := paid_off + timedelta(days=rng.randrange(30, 900))) <= today:
                recoveries.append(Recovery(
                    investment=inv, recovered_on=back, amount_krw=1_000_000_000, reason="sale"
                ))  # fmt: skip
            elif roll < 0.9:
                for code, days in (("F-1", 75), ("F-2-8", 180), ("F-5-17", 180 + 5 * 365)):
                    if (day := inv.contract_date + timedelta(days=days)) <= today:
                        grants.append(StatusGrant(
                            person_id=inv.investor.person_id, investor=inv.investor,
                            code_id=code, granted_on=day,
                        ))  # fmt: skip
        Payment.objects.bulk_create(payments, batch_size=5000)
        Recovery.objects.bulk_create(recoveries, batch_size=5000)
        StatusGrant.objects.bulk_create(grants, batch_size=5000)
    return institution


def remove_ledger(institution):
    """Delete the synthetic ledger, children first, with one DELETE per table."""
    steps = [
        (StatusGrant, "investor__institution"),
        (Recovery, "investment__institution"),
        (Payment, "investment__institution"),
        (MonthlyNotice.history.model, "institution"),
        (MonthlyNotice, "institution"),
        (Obligation.history.model, "institution"),
        (Obligation, "institution"),
        (Investment, "institution"),
        (Investor, "institution"),
        (Person, "identity_hash__startswith"),
        (Event, "institution"),
        (Organisation.history.model, "id"),
        (Organisation, "id"),
    ]
    key = {"identity_hash__startswith": institution.name.split()[-1], "id": institution.pk}
    with transaction.atomic(), connection.cursor() as cursor:
        for model, path in steps:
            rows = model.objects.filter(**{path: key.get(path, institution)}).values("pk")
            select, params = rows.query.sql_with_params()
            table, pk = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({select})", params)  # noqa: S608


def sql_figures(institution, program, period):
    """The notice's figures by hand-written SQL, one statement per table, flattened as
    ``notices.flatten`` names them: the floor for the ORM's queries."""
    start, end = period, notices.month_end(period)
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
            for key in notices.RESIDENCE_KEYS[program]
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
        **{f"residence {key}": pair(0, 0) for key in notices.RESIDENCE_KEYS[program]},
    }
    for key, cumulative, before in residence:
        if key is not None:
            figures[f"residence {key}"] = pair(cumulative - before, cumulative)
    return figures
