"""Corrections from the investor page (issue 11, item 3): the pages call the correction
verbs (``correct_investor``, ``void_entry`` / ``void_recovery``, ``merge_investors``), ask
before sending (``data-confirm``), put a verb's refusal on the form, and are the owner's
(grants: the officer's) alone."""

from datetime import date

import pytest
from django.urls import reverse

from investments.models import Investor, Payment, Recovery, StatusGrant
from reporting.choices import ObligationState
from tests import factories
from tests.factories import as_user, recovered

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_the_investor_page_offers_each_correction_to_who_may_make_it(
    client, company, officer, jeju_ledger
):
    url = reverse("investor-detail", args=[jeju_ledger.investor.pk])
    page = text(as_user(client, company).get(url))
    assert reverse("investor-correct", args=[jeju_ledger.investor.pk]) in page
    assert reverse("investor-merge", args=[jeju_ledger.investor.pk]) in page
    for kind, entry in (
        ("payment", jeju_ledger.payment),
        ("recovery", jeju_ledger.recovery),
        ("lapse", jeju_ledger.lapse),
    ):
        assert reverse("entry-void", args=[kind, entry.pk]) in page
    assert reverse("entry-void", args=["grant", jeju_ledger.grant.pk]) not in page

    page = text(as_user(client, officer).get(url))
    assert reverse("entry-void", args=["grant", jeju_ledger.grant.pk]) in page
    assert reverse("investor-correct", args=[jeju_ledger.investor.pk]) not in page


def test_correcting_the_name_keeps_the_passport_and_records_why(client, company, jeju_ledger):
    investor = jeju_ledger.investor
    url = reverse("investor-correct", args=[investor.pk])
    form = text(as_user(client, company).get(url))
    assert "data-confirm=" in form and 'value="Wang Fang"' in form
    assert jeju_ledger.investor.passport_number not in form  # never shown back

    response = client.post(
        url,
        {
            "kind": "person",
            "full_name": "WANG Fang",
            "nationality": "CN",
            "date_of_birth": "1975-04-12",
            "passport_number": "",
            "alien_registration_number": "",
            "email": "",
            "reason": "Surname in capitals as in the passport",
        },
    )
    assert response.status_code == 302
    investor.refresh_from_db()
    assert investor.full_name == "WANG Fang"
    assert investor.passport_number == jeju_ledger.investor.passport_number
    entry = investor.history.latest("history_date")
    assert entry.history_change_reason == "correct_investor"


def test_a_correction_without_a_reason_or_a_change_is_refused_on_the_form(
    client, company, jeju_ledger
):
    investor = jeju_ledger.investor
    url = reverse("investor-correct", args=[investor.pk])
    unchanged = {
        "kind": "person",
        "full_name": investor.full_name,
        "nationality": investor.nationality,
        "date_of_birth": "1975-04-12",
        "reason": "Checking",
    }
    response = as_user(client, company).post(url, unchanged)
    assert response.status_code == 400
    assert "These are already the client&#x27;s details." in text(response)


def test_voiding_a_recovery_cancels_its_open_report_duty(client, company, jeju_ledger):
    url = reverse("entry-void", args=["recovery", jeju_ledger.recovery.pk])
    form = as_user(client, company).get(url)
    assert "data-confirm=" in text(form) and "200,000,000" in text(form)
    assert client.post(url, {"reason": ""}).status_code == 400

    response = client.post(url, {"reason": "Recorded against the wrong client"})
    assert response.status_code == 302
    assert response["Location"] == reverse("investor-detail", args=[jeju_ledger.investor.pk])
    recovery = Recovery.all_objects.get(pk=jeju_ledger.recovery.pk)
    assert recovery.void_reason == "Recorded against the wrong client"
    jeju_ledger.obligation.refresh_from_db()
    assert jeju_ledger.obligation.state == ObligationState.CANCELLED


def test_a_payment_a_recovery_depends_on_is_refused_with_the_verbs_reason(client, company):
    investment = factories.tourism_investment(company)  # paid in full, one payment
    recovered(company, date(2025, 2, 3), investment=investment, amount_krw=900_000_000)
    payment = investment.payments.get()
    url = reverse("entry-void", args=["payment", payment.pk])
    response = as_user(client, company).post(url, {"reason": "Typo"})
    assert response.status_code == 400
    assert 'role="alert"' in text(response)
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_only_the_officer_voids_a_grant_and_nobody_else_sees_the_entry(
    client, company, officer, other_company, jeju_ledger
):
    url = reverse("entry-void", args=["grant", jeju_ledger.grant.pk])
    assert as_user(client, company).post(url, {"reason": "x"}).status_code == 403
    payment_url = reverse("entry-void", args=["payment", jeju_ledger.payment.pk])
    assert as_user(client, other_company).get(payment_url).status_code == 404
    assert as_user(client, company).get(reverse("entry-void", args=["fee", 1])).status_code == 404

    response = as_user(client, officer).post(url, {"reason": "Granted to the wrong person"})
    assert response.status_code == 302
    assert not StatusGrant.objects.filter(pk=jeju_ledger.grant.pk).exists()


def test_merging_a_duplicate_moves_its_investments(client, company, jeju_ledger):
    duplicate = factories.tourism_investment(
        company, name="WANG Fang", passport="E99990000", unit_number="B-1"
    ).investor
    url = reverse("investor-merge", args=[jeju_ledger.investor.pk])
    form = text(as_user(client, company).get(url))
    assert "data-confirm=" in form and f'value="{duplicate.pk}"' in form
    response = client.post(url, {"duplicate": duplicate.pk, "reason": "Registered twice"})
    assert response.status_code == 302
    assert Investor.all_objects.get(pk=duplicate.pk).merged_into_id == jeju_ledger.investor.pk
    assert jeju_ledger.investor.investments.count() == 2
