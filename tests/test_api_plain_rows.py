"""The lists read as plain rows (``portal.viewsets.PlainRowsListMixin``) answer exactly what
their serializer answers for the same model instances: same fields, same types, same values,
for rows with and without the optional relations (a KDB deposit has no unit or zone; a draft
notice no receipt)."""

import json
from datetime import date

import pytest
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from investments.api import (
    InvestmentViewSet,
    LapseViewSet,
    PaymentViewSet,
    StatusGrantViewSet,
)
from reporting.api.notices import MonthlyNoticeViewSet
from tests.factories import submitted_notice

API = "/api/v1"


def serializer_answer(viewset_class, user, ids):
    """What the viewset's serializer says of each model instance, by id."""
    view = viewset_class(action="retrieve", format_kwarg=None, kwargs={})
    view.request = Request(RequestFactory().get("/"))
    view.request.user = user
    instances = view.get_queryset().filter(pk__in=ids)
    return {row["id"]: row for row in view.get_serializer(instances, many=True).data}


@pytest.fixture
def ledgers(jeju_ledger, kdb_ledger, company, kdb, officer):
    from reporting import notices

    reviewed = submitted_notice(company, program="tourism", period=date(2025, 1, 1))
    notices.review_notice(by=officer, notice=reviewed, decision="returned", note="Remarks?")
    notices.compute_notice(by=company, program="tourism", period=date(2025, 2, 1))
    submitted_notice(kdb, program="public_interest", period=date(2025, 1, 1))


@pytest.mark.parametrize(
    ("name", "viewset"),
    [
        ("investments", InvestmentViewSet),
        ("monthly-notices", MonthlyNoticeViewSet),
        ("payments", PaymentViewSet),
        ("lapses", LapseViewSet),
        ("status-grants", StatusGrantViewSet),
    ],
)
@pytest.mark.parametrize("query", ["", "?cursor=", "?page_size=1"])
def test_a_plain_rows_list_answers_what_the_serializer_answers(
    api, hq, ledgers, name, viewset, query
):
    answer = api.as_user(hq).get(f"{API}/{name}/{query}")
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert rows  # the fixture's rows are there to compare
    expected = serializer_answer(viewset, hq, [row["id"] for row in rows])
    # through JSON both ways, so a date and its ISO text compare as the client sees them
    expected = json.loads(json.dumps(expected, cls=JSONEncoder))
    assert rows == [expected[str(row["id"])] for row in rows]
    if name == "investments":
        assert {row["zone"] is None for row in rows} == {True, False} or query == "?page_size=1"
    if name == "monthly-notices":
        assert {row["receipt"] is None for row in rows} == {True, False} or query == "?page_size=1"
        reviewed = {row["latest_review"] is None for row in rows}
        assert reviewed == {True, False} or query == "?page_size=1"
