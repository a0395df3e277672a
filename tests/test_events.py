"""``GET /api/v1/events/?after=<cursor>`` (issue 13.3): every change a client may see, in
commit order, with a stable cursor, through the access gate."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from investments import services as ledger
from portal.models import Event
from tests.factories import jeju_investment, paid, recovered

URL = "/api/v1/events/"


def feed(api, user, after=0, **params):
    response = api.as_user(user).get(URL, {"after": after, **params})
    assert response.status_code == 200, response.data
    return response.data


def types(page):
    return [event["type"] for event in page["results"]]


@pytest.mark.django_db
def test_each_organisation_reads_only_its_own_changes_from_its_cursor(
    api, company, other_company, officer, jeju_ledger, incheon_ledger
):
    start = {user: feed(api, user)["cursor"] for user in (company, other_company, officer)}

    mine = recovered(
        company, date(2025, 3, 3), investment=jeju_ledger.investment, amount_krw=100_000_000
    )
    theirs = ledger.record_payment(
        by=other_company,
        investment=incheon_ledger.investment,
        paid_on=date(2024, 6, 3),
        amount_krw=400_000_000,
        kind="intermediate",
    )

    page = feed(api, company, after=start[company])
    assert types(page) == ["recovery.created", "obligation.created"]
    assert page["results"][0]["object"] == {
        "type": "recovery",
        "id": mine.pk,
        "url": f"http://testserver/api/v1/recoveries/{mine.pk}/",
    }
    assert feed(api, company, after=page["cursor"])["results"] == []

    page = feed(api, other_company, after=start[other_company])
    assert types(page) == ["payment.created"]
    assert page["results"][0]["object"]["id"] == theirs.pk

    # The Jeju office sees what is routed to it: the Jeju recovery, not the Incheon payment.
    page = feed(api, officer, after=start[officer])
    assert types(page) == ["recovery.created", "obligation.created"]


@pytest.mark.django_db
def test_the_feed_pages_by_cursor_and_filters_by_type(api, company):
    jeju_investment(company)  # investor, investment, property-less events, one payment
    first = feed(api, company, limit=2)
    assert first["has_more"] is True and len(first["results"]) == 2
    rest = feed(api, company, after=first["cursor"])
    assert rest["has_more"] is False
    assert types(first) + types(rest) == [
        "investor.created",
        "investment.created",
        "payment.created",
    ]
    assert types(feed(api, company, type="payment.created")) == ["payment.created"]
    assert int(rest["cursor"]) > int(first["cursor"])


@pytest.mark.django_db
def test_corrections_appear_with_their_reason(api, company, jeju_ledger):
    start = feed(api, company)["cursor"]
    ledger.void_entry(by=company, entry=jeju_ledger.lapse, reason="No mortgage after all")
    [event] = feed(api, company, after=start)["results"]
    assert (event["type"], event["reason"]) == ("lapse.voided", "No mortgage after all")


@pytest.mark.django_db
@pytest.mark.parametrize("after", ["-1", "x", "1.5"])
def test_a_bad_cursor_is_400(api, company, after):
    assert api.as_user(company).get(URL, {"after": after}).status_code == 400


@pytest.mark.django_db
def test_anonymous_callers_get_401(api):
    assert api.get(URL).status_code == 401


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.usefixtures("committing")
def test_an_event_committed_later_never_lands_below_a_cursor_already_read(api, company):
    """Transaction A inserts its event first but commits last. With row ids as cursors a
    reader would skip it; the feed gives it a position above everything already read."""
    investment = jeju_investment(company)
    # Another investment: the slow writer holds a row lock on the first one.
    other = jeju_investment(company, name="LI Na", passport="E22222222", unit_number="B-1")
    cursor = feed(api, company)["cursor"]
    inserted, release, written = threading.Event(), threading.Event(), []

    def slow_writer():
        try:
            with transaction.atomic():
                written.append(paid(company, investment, date(2024, 3, 5), 1, "final"))
                inserted.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(timeout=30)
    fast = ledger.record_lapse(
        by=company, investment=other, kind="lease", started_on=date(2024, 4, 1)
    )
    page = feed(api, company, after=cursor)
    assert [(e["type"], e["object"]["id"]) for e in page["results"]] == [("lapse.created", fast.pk)]
    release.set()
    writer.join(timeout=30)

    later = feed(api, company, after=page["cursor"])
    assert [(e["type"], e["object"]["id"]) for e in later["results"]] == [
        ("payment.created", written[0].pk)
    ]
    slow = Event.objects.get(type="payment.created", object_id=written[0].pk)
    quick = Event.objects.get(type="lapse.created", object_id=fast.pk)
    assert slow.pk < quick.pk  # inserted first…
    assert slow.position > quick.position  # …numbered after its commit
