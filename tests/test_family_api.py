"""Relatives through the REST API (issue 11, item 4): ``/api/v1/relatives/`` lists, records and
reads the spouses, children, executives and shareholders of the caller's investors, scoped by
the access gate like investors (another organisation's ids are 404), each with the family
statuses open to it today and until when — F-2-81 for a tourism investor's family (seed §6
heading), F-2-3 once the investor holds F-5 (seed F-2 table, §7.S(3)), a minor child until the
day before the age of majority (Civil Act art. 4)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments import services
from tests.factories import recorded_relative

API = "/api/v1/relatives/"

pytestmark = pytest.mark.django_db


#: The spouse the tests record, as the API takes her.
SPOUSE = {
    "relation": "spouse",
    "full_name": "LI Na",
    "nationality": "CN",
    "date_of_birth": "1978-02-03",
    "passport_number": "E11112222",
}


def spouse(investor_id, **changes):
    return {"investor": investor_id, **SPOUSE, **changes}


def test_a_company_records_a_spouse_who_qualifies_for_f_2_81(api, company, jeju_ledger):
    response = api.as_user(company).post(API, spouse(jeju_ledger.investor.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["relation"] == "spouse"
    assert body["qualifies_for"] == [{"code": "F-2-81", "until": None}]
    assert "passport_number" not in body
    assert (
        body["passport_number_masked"].endswith("22")
        and "E1111" not in body["passport_number_masked"]
    )

    again = api.get(f"{API}{body['id']}/")
    assert again.status_code == 200
    assert again.json()["qualifies_for"] == [{"code": "F-2-81", "until": None}]


def test_after_f5_a_minor_child_qualifies_for_f_2_3_until_the_day_before_majority(
    api, company, officer, jeju_ledger
):
    investor = jeju_ledger.investor
    minor = recorded_relative(company, investor, "child", "WANG Xiao", date(2015, 6, 1))
    adult = recorded_relative(company, investor, "child", "WANG Da", date(2000, 6, 1))
    executive = recorded_relative(company, investor, "executive", "PARK Director", date(1960, 1, 1))
    services.grant_status(by=officer, investor=investor, code="F-5-17", granted_on=date(2025, 1, 6))

    rows = api.as_user(company).get(API, {"investor": investor.pk}).json()["results"]
    found = {row["id"]: row["qualifies_for"] for row in rows}
    assert found[minor.pk] == [{"code": "F-2-3", "until": "2034-05-31"}]
    assert found[adult.pk] == []
    assert found[executive.pk] == []


def test_another_organisations_relatives_and_investors_are_not_found(
    api, company, other_company, jeju_ledger
):
    relative = recorded_relative(company, jeju_ledger.investor, "spouse", "LI Na", date(1978, 2, 3))
    api.as_user(other_company)
    assert api.get(f"{API}{relative.pk}/").status_code == 404
    assert api.get(API).json()["count"] == 0
    refused = api.post(API, spouse(jeju_ledger.investor.pk), format="json")
    assert refused.status_code == 400
    assert "investor" in refused.json()


def test_the_officer_of_the_competent_office_reads_but_does_not_record(
    api, company, officer, officer_yeosu, jeju_ledger
):
    relative = recorded_relative(company, jeju_ledger.investor, "spouse", "LI Na", date(1978, 2, 3))
    api.as_user(officer)
    assert api.get(f"{API}{relative.pk}/").status_code == 200
    assert api.post(API, spouse(jeju_ledger.investor.pk), format="json").status_code == 403
    assert api.as_user(officer_yeosu).get(f"{API}{relative.pk}/").status_code == 404


@pytest.mark.parametrize(
    "change, field",
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"relation": "cousin"}, "relation"),
        ({"nationality": "XX"}, "nationality"),
        ({"full_name": "  "}, "full_name"),
    ],
)
def test_invalid_relatives_are_refused_by_field(api, company, jeju_ledger, change, field):
    response = api.as_user(company).post(
        API, spouse(jeju_ledger.investor.pk, **change), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not jeju_ledger.investor.related_persons.exists()


def test_filters_by_relation_and_the_list_costs_the_same_for_more_rows(api, company, jeju_ledger):
    investor = jeju_ledger.investor
    recorded_relative(company, investor, "spouse", "LI Na", date(1978, 2, 3))
    api.as_user(company)
    with CaptureQueriesContext(connection) as one:
        assert api.get(API).json()["count"] == 1
    for i in range(5):
        recorded_relative(company, investor, "child", f"WANG {i}", date(2010 + i, 1, 1))
    with CaptureQueriesContext(connection) as six:
        assert api.get(API).json()["count"] == 6
    assert len(six) == len(one)
    children = api.get(API, {"relation": "child"}).json()
    assert children["count"] == 5
    assert all(
        row["qualifies_for"] == [{"code": "F-2-81", "until": None}] for row in children["results"]
    )
