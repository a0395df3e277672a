"""How fast the officers' pages are against one indexed query of the rows they show (issue
"national scale", item 2).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/page_benchmark.py [--repeat 20]

Each page is requested as the demo account that uses it (``officer.jeju``, ``hq``), through
Django's test client with the whole middleware stack, templates and all; its floor is one
query of the same rows read with ``values()`` (the page's first table page, or for the HQ
overview its one aggregate). Runs alternate (page, floor, page, floor, …) so a busy machine
slows both alike; the medians and their ratio are printed, with the page's 95th percentile
(the target is ≤ 300 ms at p95) and the number of queries of one request. Needs a demo
ledger: ``manage.py make_demo --investors 100000``.
"""

import argparse
import os
import statistics
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def floors():
    """``{page: function(user) → rows}``: one indexed query of the rows each page shows."""
    from django.db.models import Count
    from django.utils import timezone

    from investments.models import Investment, Investor
    from reporting.models import EligibilityFact, Obligation

    today = timezone.localdate()

    def deadlines(user):
        return list(
            Obligation.objects.visible_to(user)
            .open()
            .filter(due_on__lte=today + timedelta(days=14))
            .order_by("due_on", "pk")
            .values()[:20]
        )

    def pipeline(user):
        visible = Investment.objects.visible_to(user).values("investor__person_id")
        return list(
            EligibilityFact.objects.filter(person_id__in=visible, on_track=True)
            .filter(eligible_on__lte=today + timedelta(days=180), permanent=False)
            .order_by("eligible_on", "person_id")
            .values()[:50]
        )

    def obligations(user):
        return list(Obligation.objects.visible_to(user).order_by("due_on", "pk").values()[:50])

    def investors(user):
        return list(Investor.objects.visible_to(user).order_by("full_name", "pk").values()[:50])

    def offices(user):
        return list(Investment.objects.values("office").annotate(n=Count("pk")).order_by())

    return {
        ("office-dashboard", "officer.jeju"): deadlines,
        ("office-dashboard", "hq"): deadlines,
        ("f5-pipeline", "officer.jeju"): pipeline,
        ("f5-pipeline", "hq"): pipeline,
        ("obligation-list", "officer.jeju"): obligations,
        ("investor-list", "officer.jeju"): investors,
        ("hq-overview", "hq"): offices,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from measure import p95, statements, timings_ms

    from investments.models import Investor
    from portal.models import User

    setup_test_environment()  # the test client's host is allowed
    print(f"ledger: {Investor.objects.count():,} investors, {connection.vendor}")
    print(
        f"{'page':<18} {'as':<13} {'queries':>7} {'page ms':>9} {'p95 ms':>8} {'floor ms':>9}"
        f" {'ratio':>6}"
    )
    for (name, username), floor in floors().items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        url = reverse(name)
        assert client.get(url).status_code == 200  # warm: session, caches
        floor(user)
        request = partial(client.get, url)
        captured = statements(request)
        pages, floors_ = timings_ms(request, partial(floor, user), args.repeat)
        page, bottom = statistics.median(pages), statistics.median(floors_)
        slowest = p95(pages)
        print(
            f"{name:<18} {username:<13} {len(captured):>7} {page:>9.1f} {slowest:>8.1f}"
            f" {bottom:>9.1f} {page / bottom:>6.1f}"
        )


if __name__ == "__main__":
    main()
