"""Finding things in the tables (issue 11.5): column headers sort through the FilterSet's
``ordering`` and keep the other query parameters, the reader chooses 25, 50 or 100 rows a page
(anything else reads as 50), and the filter form carries the chosen order."""

import re
from datetime import date

import pytest
from django.urls import reverse

from investments import services
from tests.factories import as_user, notice_obligation
from tests.factories import client as register_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(company):
    for i, name in enumerate(["Kim B", "Abe C", "Zhou A"]):
        services.register_investor(
            by=company,
            full_name=name,
            nationality=["VN", "JP", "CN"][i],
            date_of_birth=date(1970 + i, 1, 1),
            passport_number=f"EQ{i:07d}",
        )


def names(page):
    return re.findall(r'href="/investors/\d+/">([^<]+)</a>', page)


def test_a_header_sorts_ascending_then_descending_keeping_the_filters(client, company, clients):
    web = as_user(client, company)
    page = web.get(reverse("investor-list"), {"kind": "person"}).content.decode()
    header = re.search(r'<th scope="col"><a class="sort" href="\?([^"]+)">Name', page)
    assert header and "kind=person" in header.group(1) and "ordering=full_name" in header.group(1)

    ascending = web.get(reverse("investor-list"), {"kind": "person", "ordering": "full_name"})
    assert names(ascending.content.decode()) == ["Abe C", "Kim B", "Zhou A"]
    text = ascending.content.decode()
    assert 'aria-sort="ascending"' in text and "ordering=-full_name" in text

    descending = web.get(reverse("investor-list"), {"ordering": "-full_name"})
    assert names(descending.content.decode()) == ["Zhou A", "Kim B", "Abe C"]
    by_birth = web.get(reverse("investor-list"), {"ordering": "-date_of_birth"})
    assert names(by_birth.content.decode()) == ["Zhou A", "Abe C", "Kim B"]


def test_the_filter_form_keeps_the_order_and_an_unknown_order_is_ignored(client, company, clients):
    web = as_user(client, company)
    page = web.get(reverse("investor-list"), {"ordering": "nationality"}).content.decode()
    assert re.search(r'<input type="hidden" name="ordering" value="nationality"', page)
    refused = web.get(reverse("investor-list"), {"ordering": "passport_hash"})
    assert refused.status_code == 200
    assert len(names(refused.content.decode())) == 3


def test_the_page_size_is_chosen_among_25_50_and_100(client, company):
    for i in range(30):
        register_client(
            company, name=f"Client {i:02d}", date_of_birth=date(1970, 1, 1), passport=f"EP{i:07d}"
        )
    web = as_user(client, company)
    assert len(names(web.get(reverse("investor-list")).content.decode())) == 30
    small = web.get(reverse("investor-list"), {"per_page": 25, "ordering": "full_name"})
    text = small.content.decode()
    assert len(names(text)) == 25 and "Page 1 of 2" in text
    assert "ordering=full_name" in re.search(r'href="\?([^"]*page=2[^"]*)" rel="next"', text).group(
        1
    )
    assert '<strong aria-current="true">25</strong>' in text
    for unbounded in ("1000000", "0", "x"):
        page = web.get(reverse("investor-list"), {"per_page": unbounded}).content.decode()
        assert len(names(page)) == 30


@pytest.mark.parametrize(
    "url, ordering",
    [
        ("investment-list", "-contract_amount_krw"),
        ("obligation-list", "-due_on"),
        ("notice-list", "-period"),
    ],
)
def test_the_other_tables_sort_by_their_headers(client, company, jeju_ledger, url, ordering):
    page = as_user(client, company).get(reverse(url), {"ordering": ordering})
    assert page.status_code == 200
    assert 'aria-sort="descending"' in page.content.decode()


def test_the_review_queue_sorts_by_its_headers(client, officer, jeju_ledger):
    page = as_user(client, officer).get(reverse("review-queue"), {"ordering": "-filed_at"})
    assert page.status_code == 200
    assert 'aria-sort="descending"' in page.content.decode()


# --- breadcrumbs ------------------------------------------------------------------------------


def crumbs(page):
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li>.*?</li>", nav, re.S)
    ]


def test_detail_and_form_pages_say_where_they_sit(client, company, jeju_ledger):
    web = as_user(client, company)
    investor = jeju_ledger.investor
    page = web.get(reverse("investor-detail", args=[investor.pk])).content.decode()
    assert crumbs(page) == ["Home", "Investors", investor.full_name]
    assert f'href="{reverse("investor-list")}"' in page

    form = web.get(reverse("relative-new", args=[investor.pk])).content.decode()
    assert crumbs(form) == ["Home", str(investor), "Record a relative"]
    assert re.search(r'<span aria-current="page">Record a relative</span>', form)


# --- the compliance record (reporting/views/sanctions.py) -------------------------------------


@pytest.fixture
def records(company, other_company):
    """company.jeju: one notice overdue; company.incheon: two overdue and one filed on time."""
    notice_obligation(company, period=date(2025, 1, 1), due_on=date(2025, 2, 5))
    for month in (1, 2):
        notice_obligation(other_company, period=date(2025, month, 1), due_on=date(2025, 2, 5))
    notice_obligation(
        other_company,
        period=date(2025, 3, 1),
        due_on=date(2025, 4, 5),
        state="filed_on_time",
        filed_on=date(2025, 4, 1),
    )
    return company.organisation.name, other_company.organisation.name


def institutions(page):
    return re.findall(r'<th scope="row">([^<]+?)\s*(?:<span|</th>)', page)


def test_the_compliance_record_sorts_by_its_columns(client, hq, records):
    jeju, incheon = records
    web = as_user(client, hq)
    page = web.get(reverse("sanction-list")).content.decode()
    assert institutions(page) == [incheon, jeju]  # worst first by default
    for key in ("institution", "notice_on_time", "notice_overdue", "withdrawal_late"):
        assert re.search(rf'<th scope="col"[^>]*><a class="sort" href="\?ordering={key}"', page)
    assert 'rowspan="2"><a class="sort" href="?ordering=institution"' in page

    by_name = web.get(reverse("sanction-list"), {"ordering": "institution"}).content.decode()
    assert institutions(by_name) == sorted([jeju, incheon])
    assert 'aria-sort="ascending"' in by_name
    by_name_down = web.get(reverse("sanction-list"), {"ordering": "-institution"})
    assert institutions(by_name_down.content.decode()) == sorted([jeju, incheon], reverse=True)

    on_time = web.get(reverse("sanction-list"), {"ordering": "notice_on_time"}).content.decode()
    assert institutions(on_time) == [jeju, incheon]
    assert 'aria-sort="ascending"' in on_time and "ordering=-notice_on_time" in on_time
    overdue = web.get(reverse("sanction-list"), {"ordering": "notice_overdue"}).content.decode()
    assert institutions(overdue) == [jeju, incheon]
    worst = web.get(reverse("sanction-list"), {"ordering": "-notice_overdue"}).content.decode()
    assert institutions(worst) == [incheon, jeju]


def test_the_compliance_record_ignores_an_unknown_order(client, hq, records):
    web = as_user(client, hq)
    page = web.get(reverse("sanction-list"), {"ordering": "institution__office"})
    assert page.status_code == 200
    assert len(institutions(page.content.decode())) == 2
