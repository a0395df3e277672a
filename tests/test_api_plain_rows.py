"""The lists read as plain rows (``portal.viewsets.PlainRowsListMixin``) answer exactly what
their serializer answers for the same model instances: same fields, same types, same values,
for rows with and without the optional relations (a KDB deposit has no unit or zone; a draft
notice no receipt; an obligation in each state it can be in today)."""

import json
from datetime import date, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from investments.api.grants import StatusGrantViewSet
from investments.api.ledger import InvestmentViewSet, LapseViewSet, PaymentViewSet
from reporting.api.ledger import ObligationViewSet
from reporting.api.notices import MonthlyNoticeViewSet
from reporting.choices import ObligationState
from reporting.models import Obligation, current_state
from tests.factories import notice_obligation, recovered, submitted_notice

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
    obligations_in_every_state(company, investment=company_investment(company))


def company_investment(company):
    from investments.models import Investment

    return Investment.objects.filter(institution=company.organisation).first()


def obligations_in_every_state(company, investment=None):
    """Obligations whose state today is each of the states, including the edges of the due
    day: due today is still due, due yesterday is overdue though no sweep recorded it."""
    today = timezone.localdate()
    # a withdrawal report, due in about 11 days
    recovered(company, today - timedelta(days=3), investment=investment, amount_krw=1_000_000)
    rows = [
        (ObligationState.DUE, today + timedelta(days=5), None),
        (ObligationState.DUE, today, None),
        (ObligationState.DUE, today - timedelta(days=1), None),  # overdue, not yet swept
        (ObligationState.OVERDUE, today - timedelta(days=20), None),
        (ObligationState.FILED_ON_TIME, today - timedelta(days=40), today - timedelta(days=41)),
        (ObligationState.FILED_LATE, today - timedelta(days=70), today - timedelta(days=60)),
        (ObligationState.CANCELLED, today - timedelta(days=100), None),
    ]
    for month, (state, due_on, filed_on) in enumerate(rows, 1):
        notice_obligation(
            company, period=date(2020, month, 1), due_on=due_on, state=state, filed_on=filed_on
        )


@pytest.mark.parametrize(
    ("name", "viewset"),
    [
        ("investments", InvestmentViewSet),
        ("monthly-notices", MonthlyNoticeViewSet),
        ("payments", PaymentViewSet),
        ("lapses", LapseViewSet),
        ("status-grants", StatusGrantViewSet),
        ("obligations", ObligationViewSet),
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
    if name == "obligations" and query != "?page_size=1":
        assert {row["state"] for row in rows} == set(ObligationState)


def test_the_state_read_in_the_database_is_the_state_computed_in_python(api, company):
    """``Obligation.objects.with_state_today`` (what the API lists and shows) and the model's
    ``current_state`` (what the pages and the deadlines export compute) agree for every
    recorded state on either side of the due day (issue 8.9)."""
    obligations_in_every_state(company)
    today = timezone.localdate()
    stored = Obligation.objects.with_state_today(today).values_list(
        "pk", "state", "due_on", "state_today"
    )
    assert {state for *_, state in stored} == set(ObligationState)
    for pk, state, due_on, state_today in stored:
        assert state_today == current_state(state, due_on, today), (state, due_on)
        assert state_today == Obligation.objects.get(pk=pk).current_state
    listed = api.as_user(company).get(f"{API}/obligations/?page_size=100").json()["results"]
    assert {row["id"]: row["state"] for row in listed} == {pk: state for pk, *_, state in stored}
