"""Corrections with an audit trail (issue 11.3) through the API, with ETags (issue 13.5): a
wrong payment, recovery, lapse or grant is voided with a reason; an investor's details are
corrected; a duplicate record is merged. Every correction needs ``If-Match``; a stale one is
412. Nothing is deleted: a voided entry stays on record but no longer counts anywhere, a
voided recovery's open report duty is cancelled, a filed report stays as filed, and a
submitted notice whose figures now differ is flagged for amendment."""

from datetime import date

import pytest

from investments import services as ledger
from investments.models import Investor, Payment, Recovery, StatusGrant
from reporting import filings
from reporting.choices import ObligationState
from reporting.models import Obligation
from tests.factories import jeju_investment, recovered

pytestmark = pytest.mark.django_db


def read(api, user, url):
    response = api.as_user(user).get(url)
    assert response.status_code == 200, response.data
    return response


def void(api, user, url, etag, reason="Entered twice by mistake"):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return api.as_user(user).post(f"{url}void/", {"reason": reason}, format="json", **headers)


def correct(api, user, url, etag, body):
    """PATCH ``body`` (the corrected fields and the reason) to ``url`` with ``If-Match``."""
    return api.as_user(user).patch(url, body, format="json", HTTP_IF_MATCH=etag)


def test_a_voided_payment_stays_on_record_but_counts_nowhere(api, company, jeju_ledger):
    payment = jeju_ledger.payments[2]  # 500,000,000 on 2024-09-02
    url = f"/api/v1/payments/{payment.pk}/"
    etag = read(api, company, url)["ETag"]

    response = void(api, company, url, etag)

    assert response.status_code == 200, response.data
    assert response.data["void_reason"] == "Entered twice by mistake"
    assert response["ETag"] != etag
    assert Payment.all_objects.filter(pk=payment.pk, voided_at__isnull=False).exists()
    listed = api.get("/api/v1/payments/").data["results"]
    assert payment.pk not in [row["id"] for row in listed]
    voided = api.get("/api/v1/payments/?voided=true").data["results"]
    assert [row["id"] for row in voided] == [payment.pk]
    investment = api.get(f"/api/v1/investments/{jeju_ledger.investment.pk}/").data
    assert investment["paid_krw"] == 500_000_000
    assert ledger.balance(jeju_ledger.investment, on=date(2024, 12, 31)) == (500_000_000, 0)
    entry = Payment.history.filter(id=payment.pk).latest("history_date")
    assert (entry.history_user, entry.history_change_reason) == (company, "void_entry")


def test_a_correction_without_if_match_is_428_and_a_stale_one_412(api, company, jeju_ledger):
    payment = jeju_ledger.payments[0]
    url = f"/api/v1/payments/{payment.pk}/"
    etag = read(api, company, url)["ETag"]
    assert void(api, company, url, None).status_code == 428

    other = jeju_ledger.payments[1]
    other_etag = read(api, company, f"/api/v1/payments/{other.pk}/")["ETag"]
    assert void(api, company, url, other_etag).status_code == 412
    assert void(api, company, url, etag).status_code == 200
    # The first correction changed the record: the ETag read before it is stale now.
    assert void(api, company, url, etag).status_code == 412
    assert Payment.all_objects.get(pk=payment.pk).void_reason == "Entered twice by mistake"


def test_two_clients_correcting_one_investor_cannot_both_win(api, company, jeju_ledger):
    url = f"/api/v1/investors/{jeju_ledger.investor.pk}/"
    etag = read(api, company, url)["ETag"]

    capitals = {"full_name": "WANG Fang", "reason": "Surname in capitals as in the passport"}
    new_address = {"email": "wang@example.com", "reason": "New address"}
    first = correct(api, company, url, etag, capitals)
    second = correct(api, company, url, etag, new_address)

    assert first.status_code == 200, first.data
    assert first.data["full_name"] == "WANG Fang"
    assert second.status_code == 412
    investor = Investor.objects.get(pk=jeju_ledger.investor.pk)
    assert (investor.full_name, investor.email) == ("WANG Fang", "")
    entry = investor.history.latest("history_date")
    assert entry.history_change_reason == "correct_investor"


def test_correcting_a_passport_moves_the_client_to_the_corrected_person(api, company, jeju_ledger):
    url = f"/api/v1/investors/{jeju_ledger.investor.pk}/"
    etag = read(api, company, url)["ETag"]
    body = {"passport_number": "E12345670", "reason": "Typo in the last character"}
    response = correct(api, company, url, etag, body)
    assert response.status_code == 200, response.data
    assert response.data["passport_number_masked"] == "E1*****70"
    investor = Investor.objects.get(pk=jeju_ledger.investor.pk)
    grant = StatusGrant.objects.get(pk=jeju_ledger.grant.pk)
    assert grant.person_id == investor.person_id != jeju_ledger.investor.person_id
    found = api.post(
        "/api/v1/investors/lookup/", {"passport_number": "E12345670"}, format="json"
    ).data["results"]
    assert [row["id"] for row in found] == [investor.pk]


def test_bad_corrections_change_nothing(api, company, jeju_ledger):
    url = f"/api/v1/investors/{jeju_ledger.investor.pk}/"
    etag = read(api, company, url)["ETag"]
    for body, field in [
        ({"full_name": "X"}, "reason"),
        ({"nationality": "XX", "reason": "r"}, "nationality"),
        ({"date_of_birth": "2099-01-01", "reason": "r"}, "date_of_birth"),
        ({"full_name": "Wang Fang", "reason": "nothing changes"}, "reason"),
    ]:
        response = correct(api, company, url, etag, body)
        assert response.status_code == 400, body
        assert field in response.data
    assert read(api, company, url)["ETag"] == etag


def test_another_organisation_cannot_correct_or_void(api, other_company, officer, jeju_ledger):
    url = f"/api/v1/payments/{jeju_ledger.payment.pk}/"
    assert void(api, other_company, url, '"x"').status_code == 404
    assert void(api, officer, url, '"x"').status_code == 403
    assert not Payment.all_objects.filter(voided_at__isnull=False).exists()


def test_a_payment_a_recovery_depends_on_cannot_be_voided(api, company):
    investment = jeju_investment(company)  # paid in full: 1,000,000,000
    recovered(company, date(2025, 1, 6), investment=investment, amount_krw=300_000_000)
    payment = investment.payments.get()
    url = f"/api/v1/payments/{payment.pk}/"
    response = void(api, company, url, read(api, company, url)["ETag"])
    assert response.status_code == 400
    assert "회수를 먼저 무효 처리하세요" in str(response.data["reason"])
    assert not Payment.all_objects.get(pk=payment.pk).is_voided


def test_a_voided_recovery_cancels_its_open_report_duty(api, company):
    investment = jeju_investment(company)
    recovery = recovered(company, date(2025, 1, 6), amount_krw=1_000_000_000, investment=investment)
    url = f"/api/v1/recoveries/{recovery.pk}/"
    response = void(api, company, url, read(api, company, url)["ETag"])
    assert response.status_code == 200, response.data
    obligation = Obligation.objects.get(recovery=recovery)
    assert obligation.state == ObligationState.CANCELLED
    assert obligation.history.latest("history_date").history_user == company
    assert ledger.recoverable(investment, on=date(2025, 1, 6)) == 1_000_000_000
    refused = api.post("/api/v1/withdrawal-reports/", {"obligation": obligation.pk}, format="json")
    assert refused.status_code == 400


def test_a_filed_report_stays_as_filed_when_its_recovery_is_voided(api, company):
    investment = jeju_investment(company)
    recovery = recovered(company, date(2025, 1, 6), amount_krw=100_000_000, investment=investment)
    obligation = Obligation.objects.get(recovery=recovery)
    report = filings.file_report(by=company, obligation=obligation)
    url = f"/api/v1/recoveries/{recovery.pk}/"
    assert void(api, company, url, read(api, company, url)["ETag"]).status_code == 200
    obligation.refresh_from_db()
    assert obligation.state == ObligationState.FILED_LATE
    assert list(obligation.reports.all()) == [report]
    assert not Recovery.objects.filter(pk=recovery.pk).exists()
    assert Recovery.all_objects.get(pk=recovery.pk).is_voided


def test_officers_void_a_wrong_grant(api, officer, company, jeju_ledger):
    url = f"/api/v1/status-grants/{jeju_ledger.grant.pk}/"
    assert void(api, company, url, '"x"').status_code == 403
    response = void(api, officer, url, read(api, officer, url)["ETag"], reason="Wrong person")
    assert response.status_code == 200, response.data
    assert not StatusGrant.objects.filter(pk=jeju_ledger.grant.pk).exists()


def test_a_duplicate_client_is_merged_into_the_record_kept(api, company, jeju_ledger):
    duplicate = jeju_investment(
        company, name="Wang Fang", passport="E12345679", unit_number="B-101"
    )
    survivor_url = f"/api/v1/investors/{jeju_ledger.investor.pk}/"
    etag = read(api, company, survivor_url)["ETag"]
    response = api.as_user(company).post(
        f"{survivor_url}merge/",
        {"duplicate": duplicate.investor_id, "reason": "Same person, passport mistyped"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.data
    duplicate.refresh_from_db()
    assert duplicate.investor_id == jeju_ledger.investor.pk
    listed = [row["id"] for row in api.get("/api/v1/investors/").data["results"]]
    assert listed == [jeju_ledger.investor.pk]
    merged = api.get(f"/api/v1/investors/{duplicate.investor.pk}/")
    assert merged.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/investors/{investor}/",
        "/api/v1/investments/{investment}/",
        "/api/v1/payments/{payment}/",
        "/api/v1/lapses/{lapse}/",
        "/api/v1/status-grants/{grant}/",
        "/api/v1/zones/jeju/",
        "/api/v1/offices/jeju/",
    ],
)
def test_every_detail_answer_carries_a_stable_etag(api, company, jeju_ledger, url):
    url = url.format(
        investor=jeju_ledger.investor.pk,
        investment=jeju_ledger.investment.pk,
        payment=jeju_ledger.payment.pk,
        lapse=jeju_ledger.lapse.pk,
        grant=jeju_ledger.grant.pk,
    )
    first, second = read(api, company, url), read(api, company, url)
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith('"') and not first["ETag"].startswith("W/")
