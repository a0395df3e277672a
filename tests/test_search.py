"""The search box on every page (issue 11, item 5): names, passport and alien registration
numbers (posted, never in a URL), institutions, report and receipt numbers — and never a row
the user could not open."""

from datetime import date

import pytest
from django.urls import reverse

from reporting import filings
from tests.conftest import INCHEON_PASSPORT, JEJU_ARN, JEJU_PASSPORT
from tests.factories import submitted_notice, tourism_investment

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def search(client, user, text):
    client.force_login(user)
    return client.post(SEARCH, {"q": text})


def test_every_signed_in_page_carries_the_box_and_it_posts(client, company):
    client.force_login(company)
    page = client.get(reverse("investor-list")).content.decode()
    assert f'action="{SEARCH}"' in page
    assert 'class="search" method="post"' in page


def test_an_investor_is_found_by_part_of_the_name(client, jeju_ledger):
    page = search(client, jeju_ledger.owner, "wang").content.decode()
    assert reverse("investor-detail", args=[jeju_ledger.investor.pk]) in page
    # the passport is shown masked, as everywhere else
    assert JEJU_PASSPORT not in page


@pytest.mark.parametrize("number", [JEJU_PASSPORT, JEJU_PASSPORT.lower(), JEJU_ARN])
def test_an_investor_is_found_by_the_whole_identifier_posted(client, jeju_ledger, number):
    page = search(client, jeju_ledger.owner, number).content.decode()
    assert reverse("investor-detail", args=[jeju_ledger.investor.pk]) in page


def test_part_of_a_passport_number_finds_nothing(client, jeju_ledger):
    page = search(client, jeju_ledger.owner, JEJU_PASSPORT[:5]).content.decode()
    assert reverse("investor-detail", args=[jeju_ledger.investor.pk]) not in page


def test_a_query_string_is_never_searched(client, jeju_ledger):
    """A passport number in a URL would reach access logs: GET shows only the empty box."""
    client.force_login(jeju_ledger.owner)
    page = client.get(SEARCH, {"q": JEJU_PASSPORT}).content.decode()
    assert reverse("investor-detail", args=[jeju_ledger.investor.pk]) not in page


def test_another_institutions_client_is_not_found(client, jeju_ledger, other_company):
    tourism_investment(
        other_company, zone="incheon-fez", name="Wang Lei", passport=INCHEON_PASSPORT
    )
    page = search(client, jeju_ledger.owner, "wang").content.decode()
    assert "Wang Fang" in page
    assert "Wang Lei" not in page
    assert "Wang Lei" not in search(client, jeju_ledger.owner, INCHEON_PASSPORT).content.decode()


def test_an_officer_finds_only_the_offices_investors(
    client, jeju_ledger, officer, officer_sejongno
):
    page = search(client, officer_sejongno, "wang").content.decode()
    assert "Wang Fang" not in page
    page = search(client, officer, "wang").content.decode()
    assert "Wang Fang" in page


def test_a_withdrawal_report_by_its_number(client, jeju_ledger, officer, officer_sejongno):
    report = filings.file_report(by=jeju_ledger.owner, obligation=jeju_ledger.obligation)
    number = f"WR-{jeju_ledger.obligation.pk}"
    detail = reverse("report-detail", args=[report.pk])
    assert detail in search(client, officer, number).content.decode()
    assert detail in search(client, officer, number.lower()).content.decode()
    assert detail in search(client, jeju_ledger.owner, number).content.decode()
    # another office does not receive it
    assert detail not in search(client, officer_sejongno, number).content.decode()


def test_a_notice_by_its_receipt_number(client, company, officer, other_company):
    tourism_investment(company)
    notice = submitted_notice(company, program="tourism", period=date(2024, 3, 1))
    detail = reverse("notice-detail", args=[notice.pk])
    assert detail in search(client, officer, notice.receipt_number).content.decode()
    assert detail in search(client, company, notice.receipt_number[:9]).content.decode()
    assert detail not in search(client, other_company, notice.receipt_number).content.decode()


def test_institutions_by_name(client, company, other_company, officer):
    name = other_company.organisation.name
    listed = f"?institution={other_company.organisation.pk}"
    assert listed in search(client, officer, name).content.decode()
    # an institution's people find their own organisation, not the others
    assert listed not in search(client, company, name).content.decode()
    own = company.organisation
    assert f"?institution={own.pk}" in search(client, company, own.name).content.decode()


def test_one_letter_asks_for_more(client, company):
    response = search(client, company, "w")
    assert response.status_code == 200
    assert "두 글자 이상 입력하십시오." in response.content.decode()


@pytest.mark.parametrize("language, words", [("ko", "검색"), ("en", "Search")])
def test_the_page_speaks_the_readers_language(client, company, language, words):
    client.force_login(company)
    client.cookies["django_language"] = language
    page = client.post(SEARCH, {"q": "nobody-here"}, HTTP_ACCEPT_LANGUAGE=language)
    assert words in page.content.decode()


def test_a_search_costs_the_same_queries_for_two_or_six_matches(client, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(start, n):
        for k in range(start, start + n):
            tourism_investment(
                company, name=f"Client {k:02}", passport=f"E8{k:07}", unit_number=f"B-{k}"
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert search(client, company, "client").status_code == 200
        return len(captured)

    add(0, 2)
    queries()  # the session and caches warm
    small = queries()
    add(2, 4)
    assert queries() == small
