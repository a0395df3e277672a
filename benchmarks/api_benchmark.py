"""How close the API lists are to the floor (issue "national scale", item 3).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/api_benchmark.py \
        [--repeat 5] [--user hq] [--cursor] [--list obligations …]

Each list endpoint serves one page of 100 rows (``?page_size=100``) to a demo account through
the whole stack (middleware, authentication, the access gate, the FilterSet, pagination with its
count, the serializer, JSON). Its floor is a bare view mounted beside it for the benchmark: the
same rows of the endpoint's own queryset (its gate and its computed columns), ``.values()`` of
the columns the endpoint shows, sent as a ``JsonResponse`` — through the same middleware and
session, so the ratio measures what the API adds to reading and encoding the rows. Runs
alternate (API, floor, …); medians and their ratio are printed, with the queries of one API
request. Needs a demo ledger.

``--cursor`` reads the first page by cursor (``?cursor=``, id order, no count), the way to read
a large list; the floor then reads the rows in the same order.
"""

import argparse
import os
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

ROWS = 100
LISTS = [
    "investors",
    "investments",
    "payments",
    "recoveries",
    "lapses",
    "status-grants",
    "obligations",
    "monthly-notices",
]

urlpatterns = []


ORDER = ["-pk"]


def floor_view(request, name):
    from django.core.serializers.json import DjangoJSONEncoder
    from django.http import JsonResponse
    from django.urls import resolve

    endpoint = resolve(f"/api/v1/{name}/").func.cls
    api = endpoint()
    api.request, api.format_kwarg, api.kwargs = request, None, {}
    # The endpoint's own queryset: the same gate and the same computed columns (an
    # investment's paid and recovered totals); ``values()`` drops its joins for models.
    queryset = api.get_queryset()
    shown = set(endpoint.serializer_class.Meta.fields)
    columns = [f.attname for f in queryset.model._meta.concrete_fields if f.name in shown]
    computed = [name for name in queryset.query.annotations if name in shown]
    rows = list(queryset.order_by(*ORDER).values(*columns, *computed)[:ROWS])
    return JsonResponse({"results": rows}, encoder=DjangoJSONEncoder)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--user", default="hq")
    parser.add_argument("--cursor", action="store_true", help="read by cursor, not page number")
    parser.add_argument("--list", action="append", choices=LISTS, help="only these lists")
    args = parser.parse_args()
    if args.cursor:
        ORDER[:] = ["pk"]

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import clear_url_caches, include, path
    from measure import medians_ms, statements

    from portal.models import User

    setup_test_environment()
    urlpatterns[:] = [
        path("floor/<str:name>/", floor_view),
        path("", include(settings.ROOT_URLCONF)),
    ]
    settings.ROOT_URLCONF = __name__
    clear_url_caches()

    client = Client()
    client.force_login(User.objects.get(username=args.user))
    mode = "by cursor" if args.cursor else "by page number"
    print(f"as {args.user}, {ROWS} rows a page {mode}, {connection.vendor}")
    print(f"{'list':<16} {'queries':>7} {'API ms':>8} {'floor ms':>9} {'ratio':>6}")
    for name in args.list or LISTS:
        cursor = "cursor=&" if args.cursor else ""
        url, bottom = f"/api/v1/{name}/?{cursor}page_size={ROWS}", f"/floor/{name}/"
        assert client.get(url).status_code == 200, url
        assert client.get(bottom).status_code == 200, bottom
        request, floor = partial(client.get, url), partial(client.get, bottom)
        captured = statements(request)
        a, f = medians_ms(request, floor, args.repeat)
        print(f"{name:<16} {len(captured):>7} {a:>8.1f} {f:>9.1f} {a / f:>6.1f}")


if __name__ == "__main__":
    main()
