"""Monthly notices against hand-written SQL at national scale (issue "national scale", item 5).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/notice_sql_benchmark.py \
        [--repeat 3] [--institution ID] [--program tourism] [--month YYYY-MM] [--since 2014-01]

(a) One notice: ``reporting.notices.tally`` (the figures ``compute_notice`` stores) of one
institution, program, month and office, against ONE hand-written statement of the same figures
(``GROUPING SETS`` for the investments and their nationalities, ``FILTER`` windows for the
month and the cumulative figures, each person's first grant and first contract for the
residence columns).

(b) Every notice of every institution from ``--since`` to the month just ended:
``reporting.notices.notice_history`` (the batch path behind the recheck of submitted notices),
against ONE statement producing every (institution, program, office, month) figure: monthly
changes of each table grouped once, running sums over a month series.

Both paths run on one connection with ``jit = off`` set for the session (JIT compilation cost
more than it saved on these statements here); the PostgreSQL settings in force are printed.
Runs alternate (ORM, SQL, ORM, …); medians and their ratio are printed, and each path's
figures are checked equal to the other's before timing (the command fails if they differ).
Read only: nothing is written. Needs a demo ledger (``manage.py make_demo --investors N``).
"""

import argparse
import os
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

SETTINGS = [
    "server_version",
    "jit",
    "shared_buffers",
    "work_mem",
    "effective_cache_size",
    "max_parallel_workers_per_gather",
    "random_page_cost",
]

ONE_NOTICE = """
WITH inv AS NOT MATERIALIZED (
    SELECT id, investor_id, contract_date FROM investments_investment
    WHERE institution_id = %(inst)s AND program = %(prog)s
      AND (%(office)s::bigint IS NULL OR office_id = %(office)s)
)
SELECT COALESCE('nationality ' || r.nationality, 'investments'),
       count(*) FILTER (WHERE inv.contract_date >= %(start)s), count(*)
FROM inv JOIN investments_investor r ON r.id = inv.investor_id
WHERE inv.contract_date <= %(end)s
GROUP BY GROUPING SETS ((r.nationality), ())
UNION ALL
SELECT 'amount_krw', coalesce(sum(p.amount_krw) FILTER (WHERE p.paid_on >= %(start)s), 0),
       coalesce(sum(p.amount_krw), 0)
FROM investments_payment p JOIN inv ON inv.id = p.investment_id
WHERE p.voided_at IS NULL AND p.paid_on <= %(end)s
UNION ALL
SELECT unnest(ARRAY['repayments count', 'repayments amount_krw']),
       unnest(ARRAY[count(*) FILTER (WHERE c.recovered_on >= %(start)s),
                    coalesce(sum(c.amount_krw) FILTER (WHERE c.recovered_on >= %(start)s), 0)]),
       unnest(ARRAY[count(*), coalesce(sum(c.amount_krw), 0)])
FROM investments_recovery c JOIN inv ON inv.id = c.investment_id
WHERE c.voided_at IS NULL AND c.recovered_on <= %(end)s
UNION ALL
SELECT 'residence ' || g.grp,
       count(DISTINCT g.person_id) - count(DISTINCT g.person_id)
           FILTER (WHERE g.granted_on < %(start)s AND inv.contract_date < %(start)s),
       count(DISTINCT g.person_id)
FROM (
    SELECT person_id, granted_on, CASE {groups} END AS grp
    FROM investments_statusgrant WHERE voided_at IS NULL AND granted_on <= %(end)s
) g
JOIN investments_investor r ON r.person_id = g.person_id AND r.institution_id = %(inst)s
JOIN inv ON inv.investor_id = r.id
WHERE g.grp IS NOT NULL AND inv.contract_date <= %(end)s
GROUP BY g.grp
"""

EVERY_NOTICE = """WITH inv AS NOT MATERIALIZED (
    SELECT i.id, i.institution_id AS inst, i.program AS prog, i.investor_id, i.contract_date,
           CASE WHEN i.program = 'tourism' OR o.office_id IS NULL THEN i.office_id
                ELSE o.office_id END AS office
    FROM investments_investment i
    JOIN portal_organisation o ON o.id = i.institution_id
    WHERE o.kind IN ('sales_company', 'project_operator', 'kdb')
      AND o.designation_status <> 'cancelled'
),
deltas AS (
    SELECT inv.inst, inv.prog, inv.office, date_trunc('month', inv.contract_date)::date AS m,
           COALESCE('nationality ' || r.nationality, 'investments') AS name, count(*) AS v
    FROM inv JOIN investments_investor r ON r.id = inv.investor_id
    GROUP BY GROUPING SETS ((1, 2, 3, 4, r.nationality), (1, 2, 3, 4))
    UNION ALL
    SELECT inv.inst, inv.prog, inv.office, date_trunc('month', p.paid_on)::date, 'amount_krw',
           sum(p.amount_krw)
    FROM investments_payment p JOIN inv ON inv.id = p.investment_id
    WHERE p.voided_at IS NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT inv.inst, inv.prog, inv.office, date_trunc('month', c.recovered_on)::date,
           unnest(ARRAY['repayments count', 'repayments amount_krw']),
           unnest(ARRAY[count(*), sum(c.amount_krw)])
    FROM investments_recovery c JOIN inv ON inv.id = c.investment_id
    WHERE c.voided_at IS NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT h.inst, h.prog, h.office, date_trunc('month', greatest(g.first, h.first))::date,
           'residence ' || g.grp, count(*)
    FROM (
        SELECT person_id, grp, min(granted_on) AS first
        FROM (
            SELECT person_id, granted_on,
                   CASE WHEN code = 'C-3' OR code LIKE 'C-3-%%' THEN 'C-3'
                        WHEN code = 'F-1' OR code LIKE 'F-1-%%' THEN 'F-1'
                        WHEN code = 'F-2' OR code LIKE 'F-2-%%' THEN 'F-2'
                        WHEN code = 'F-5' OR code LIKE 'F-5-%%' THEN 'F-5' END AS grp
            FROM investments_statusgrant WHERE voided_at IS NULL
        ) typed
        WHERE grp IS NOT NULL
        GROUP BY 1, 2
    ) g
    JOIN (
        SELECT r.person_id, inv.inst, inv.prog, inv.office, min(inv.contract_date) AS first
        FROM inv JOIN investments_investor r
          ON r.id = inv.investor_id AND r.institution_id = inv.inst
        GROUP BY 1, 2, 3, 4
    ) h ON h.person_id = g.person_id
       AND (g.grp IN ('F-2', 'F-5') OR g.grp = CASE h.prog WHEN 'tourism' THEN 'F-1' ELSE 'C-3' END)
    GROUP BY 1, 2, 3, 4, 5
),
series AS (
    SELECT k.inst, k.prog, k.office, k.name, s.m::date AS m
    FROM (SELECT DISTINCT inst, prog, office, name FROM deltas) k
    CROSS JOIN generate_series(
        (SELECT least(min(m), %(first)s::date) FROM deltas), %(last)s::date, interval '1 month'
    ) AS s(m)
),
running AS (
    SELECT s.inst, s.prog, s.office, s.m, s.name, coalesce(d.v, 0) AS new,
           sum(coalesce(d.v, 0)) OVER (PARTITION BY s.inst, s.prog, s.office, s.name ORDER BY s.m)
               AS cumulative
    FROM series s LEFT JOIN deltas d USING (inst, prog, office, name, m)
)
SELECT inst, prog, office, m, name, new, cumulative
FROM (
    SELECT running.*,
           max(CASE WHEN name = 'investments' THEN cumulative END)
               OVER (PARTITION BY inst, prog, office, m) AS opened
    FROM running
) figures
WHERE m >= %(first)s::date AND opened > 0 AND (cumulative > 0 OR new <> 0)"""


def one_notice_sql(institution, program, period, office, columns):
    """(a) The notice's figures by one statement, as ``notices.flatten`` names them;
    ``columns`` is ``notices.residence_columns()``, read once by the caller as for the ORM."""
    from django.db import connection

    from portal.months import month_end

    routed = program == "tourism" or institution.office_id is None
    params = {
        "inst": institution.pk,
        "prog": program,
        "office": office if routed else None,
        "start": period,
        "end": month_end(period),
    }
    # the notice's residence columns (``columns``: fixed codes, not input); a
    # CASE of the program's columns only, so the planner's estimate of the grants it keeps
    # (``grp IS NOT NULL``) is the real one
    groups = " ".join(
        f"WHEN code = '{key}' OR code LIKE '{key}-%%' THEN '{key}'" for key in columns[program]
    )
    with connection.cursor() as cursor:
        cursor.execute(ONE_NOTICE.format(groups=groups), params)
        rows = cursor.fetchall()
    figures = {f"residence {key}": {"new": 0, "cumulative": 0} for key in columns[program]}
    for name, new, cumulative in rows:
        figures[name] = {"new": int(new), "cumulative": int(cumulative)}
    return figures


def every_notice_sql(first, last):
    """(b) Every notice's figures by one statement, shaped as ``notice_history`` answers:
    ``{(institution, program, office, month): {name: {new, cumulative}}}``, with the notices
    an institution owes without a contract yet (to its registered office, all zero)."""
    from django.db import connection

    from portal.months import add_months
    from reporting import notices

    with connection.cursor() as cursor:
        cursor.execute(EVERY_NOTICE, {"first": first, "last": last})
        rows = cursor.fetchall()
    found = defaultdict(dict)
    for inst, prog, office, month, name, new, cumulative in rows:
        found[inst, prog, office, month][name] = {"new": int(new), "cumulative": int(cumulative)}
    owed = {(inst, prog, month) for inst, prog, _office, month in found}
    for organisation, programs in institutions():
        month = first
        while month <= last:
            for prog in programs:
                if (organisation.pk, prog, month) not in owed and organisation.office_id:
                    found[organisation.pk, prog, organisation.office_id, month] = {}
            month = add_months(month, 1)
    columns = notices.residence_columns()
    for (_inst, prog, _office, _month), figures in found.items():
        for key in columns[prog]:
            figures.setdefault(f"residence {key}", {"new": 0, "cumulative": 0})
        for name in ("investments", "amount_krw", "repayments count", "repayments amount_krw"):
            figures.setdefault(name, {"new": 0, "cumulative": 0})
    return dict(found)


def institutions():
    """Every institution not cancelled and the programs it reports in."""
    from investments.models import Investment
    from portal.choices import INSTITUTION_KINDS, DesignationStatus
    from portal.models import Organisation
    from reporting.notices import PROGRAMS_BY_KIND

    seen = defaultdict(set)
    for inst, prog in Investment.objects.values_list("institution", "program").distinct():
        seen[inst].add(prog)
    organisations = Organisation.objects.filter(kind__in=INSTITUTION_KINDS).exclude(
        designation_status=DesignationStatus.CANCELLED
    )
    return [(o, set(PROGRAMS_BY_KIND.get(o.kind, ())) | seen[o.pk]) for o in organisations]


def flat(figures):
    from reporting import notices

    return notices.flatten(figures)


def interleaved(first, second, repeat):
    import time

    times = ([], [])
    for _ in range(repeat):
        for run, kept in zip((first, second), times, strict=True):
            start = time.perf_counter()
            run()
            kept.append(time.perf_counter() - start)
    return times


def report(label, orm, sql):
    a, b = statistics.median(orm), statistics.median(sql)
    runs = lambda ts: ", ".join(f"{t:.3f}" for t in ts)  # noqa: E731
    print(f"{label}\n  ORM {a:8.3f} s  (runs {runs(orm)})\n  SQL {b:8.3f} s  (runs {runs(sql)})")
    print(f"  ratio ORM / SQL {a / b:.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--institution", type=int, help="default: the demo's company.jeju")
    parser.add_argument("--program", default="tourism")
    parser.add_argument("--month", help="YYYY-MM (default: the month just ended)")
    parser.add_argument("--since", default="2014-01", help="first month of (b)")
    parser.add_argument("--only", choices=["one", "every"], help="run (a) or (b) alone")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from investments.models import Investment
    from portal.models import Organisation, User
    from portal.months import parse_month, previous_month
    from reporting import notices

    if connection.vendor != "postgresql":
        sys.exit("This benchmark's SQL is PostgreSQL's: set DATABASE_URL to a PostgreSQL demo.")
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        values = []
        for name in SETTINGS:
            cursor.execute(f"SHOW {name}")
            values.append(f"{name}={cursor.fetchone()[0]}")
    print("PostgreSQL (this session): " + ", ".join(values))
    print(f"ledger: {Investment.objects.count():,} investments")

    last = previous_month(timezone.localdate())
    period = parse_month(args.month) if args.month else last
    if args.only != "every":
        pk = args.institution or User.objects.get(username="company.jeju").organisation_id
        institution = Organisation.objects.get(pk=pk)
        columns = notices.residence_columns()
        for office in notices.notice_offices(institution, args.program, period):
            figures = flat(notices.tally(institution, args.program, period, office)[0])
            if figures != one_notice_sql(institution, args.program, period, office, columns):
                sys.exit(f"(a) the ORM figures differ from the SQL for office {office}")
            orm, sql = interleaved(
                lambda o=office: notices.tally(
                    institution, args.program, period, o, columns=columns
                ),
                lambda o=office: one_notice_sql(institution, args.program, period, o, columns),
                args.repeat,
            )
            report(
                f"(a) one notice: {institution} ({args.program}) {period:%Y-%m} to office "
                f"{office}, {figures['investments']['cumulative']:,} investments "
                f"(median of {args.repeat})",
                orm,
                sql,
            )
    if args.only != "one":
        first = parse_month(args.since)
        history = notices.notice_history(first, last)
        by_sql = every_notice_sql(first, last)
        by_orm = {}
        for key, figures in history.items():
            by_orm[key] = flat(figures)
        if by_orm != by_sql:
            differ = sorted(
                k for k in by_orm.keys() | by_sql.keys() if by_orm.get(k) != by_sql.get(k)
            )
            sys.exit(f"(b) the ORM figures differ from the SQL: {differ[:5]}")
        orm, sql = interleaved(
            lambda: notices.notice_history(first, last),
            lambda: every_notice_sql(first, last),
            args.repeat,
        )
        report(
            f"(b) every notice of every institution {first:%Y-%m} to {last:%Y-%m}: "
            f"{len(history):,} notices (median of {args.repeat})",
            orm,
            sql,
        )


if __name__ == "__main__":
    main()
