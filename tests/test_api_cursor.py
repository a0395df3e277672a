"""Reading a whole list by cursor (issue 10.3): ``?cursor=`` pages through the rows in id
order with no ``count``, each page at the same cost, and following ``next`` reads every row
once even while rows are added; without ``cursor`` the documented page numbers still answer."""

import pytest

from tests.factories import jeju_investment

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def five_clients(company):
    return [
        jeju_investment(company, name=f"Client {k}", passport=f"E7{k:07}", unit_number=f"C-{k}")
        for k in range(5)
    ]


def read_all(api, url):
    ids, pages = [], 0
    while url:
        answer = api.get(url)
        assert answer.status_code == 200, answer.json()
        body = answer.json()
        assert "count" not in body
        ids += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    return ids, pages


@pytest.mark.parametrize("endpoint", ["investors", "investments", "payments"])
def test_the_cursor_reads_every_row_once_in_id_order(api, company, five_clients, endpoint):
    ids, pages = read_all(api.as_user(company), f"{API}/{endpoint}/?cursor=&page_size=2")
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids)) == 5
    assert pages == 3


def test_rows_added_while_reading_are_not_skipped_and_nothing_repeats(api, company, five_clients):
    api.as_user(company)
    first = api.get(f"{API}/investors/?cursor=&page_size=2").json()
    jeju_investment(company, name="Late Client", passport="E79999999", unit_number="C-late")
    ids, _ = read_all(api, first["next"])
    ids = [row["id"] for row in first["results"]] + ids
    assert len(ids) == len(set(ids)) == 6


def test_the_cursor_goes_through_the_gate_and_the_filters(
    api, company, other_company, five_clients
):
    jeju_investment(other_company, zone="incheon-fez", name="Other", passport="TK7654321")
    ids, _ = read_all(api.as_user(company), f"{API}/investors/?cursor=&page_size=50")
    assert len(ids) == 5
    named, _ = read_all(api, f"{API}/investors/?cursor=&full_name=Client%203")
    assert len(named) == 1


def test_a_broken_cursor_is_refused(api, company, five_clients):
    answer = api.as_user(company).get(f"{API}/investors/?cursor=not-a-cursor")
    assert answer.status_code == 404


def test_page_numbers_keep_their_count(api, company, five_clients):
    body = api.as_user(company).get(f"{API}/investors/?page_size=2&page=2").json()
    assert body["count"] == 5
    assert len(body["results"]) == 2


def test_the_schema_offers_the_cursor_and_a_count_that_may_be_absent(api, hq):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/investors/"]["get"]
    assert "cursor" in [parameter["name"] for parameter in operation["parameters"]]
    page = schema["components"]["schemas"]["PaginatedInvestorList"]
    assert page["required"] == ["results"]
