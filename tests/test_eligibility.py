"""GET /api/v1/investors/{id}/eligibility/ (SPEC §8.2): the rules' answer with reasons; the
person whole for officers and HQ, the institution's own record for a company; the what-if."""

from datetime import date

import pytest
from django.core.management import call_command

from tests.factories import grants, jeju_investment, kdb_deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeju(company, officer):
    """A Jeju owner: KRW 1 billion paid 2024-03-04, registered, F-2-8 from 2024-04-01."""
    investment = jeju_investment(company)
    investment.registered_on = date(2024, 3, 20)
    investment.save()
    grants(officer, investment.investor, ("F-2-8", date(2024, 4, 1), date(2027, 3, 31)))
    return investment


@pytest.fixture
def same_person_at_kdb(kdb):
    """The same passport deposits KRW 500 million at KDB."""
    investor = kdb_deposit(kdb, contract_date=date(2024, 5, 2), amount=500_000_000).investor
    return investor


def eligibility(api, user, investor_id, **query):
    response = api.as_user(user).get(f"/api/v1/investors/{investor_id}/eligibility/", query)
    return response


def test_a_registered_jeju_owner_qualifies_for_f_2_8_with_reasons(api, company, jeju):
    body = eligibility(api, company, jeju.investor_id, as_of="2025-01-01").json()
    assert body["qualifies_for"] == "F-2-8"
    assert body["minimum_krw"] == 1_000_000_000
    assert body["f5"]["on_track"] is True
    assert body["f5"]["eligible_on"] == "2029-04-01"
    assert body["f5"]["code"] == "F-5-17"
    assert body["f5"]["intervals"] == [{"start": "2024-04-01", "end": None}]
    rules = {reason["rule"] for reason in body["reasons"]}
    assert {"R2", "R4"} <= rules
    assert all(reason["source"] for reason in body["reasons"])


def test_officers_see_the_person_whole_a_company_only_its_record(
    api, company, officer, hq, jeju, same_person_at_kdb
):
    mine = eligibility(api, company, jeju.investor_id, as_of="2025-01-01").json()
    assert [i["program"] for i in mine["investments"]] == ["tourism"]
    for user in (officer, hq):
        whole = eligibility(api, user, jeju.investor_id, as_of="2025-01-01").json()
        assert sorted(i["program"] for i in whole["investments"]) == [
            "public_interest",
            "tourism",
        ]


def test_another_organisations_investor_is_not_found(api, other_company, kdb, jeju):
    assert eligibility(api, other_company, jeju.investor_id).status_code == 404
    assert eligibility(api, kdb, jeju.investor_id).status_code == 404


def test_what_if_recovery_stops_the_clock_and_names_the_report_due(api, company, jeju):
    body = eligibility(
        api,
        company,
        jeju.investor_id,
        as_of="2025-09-01",
        recover_krw=200_000_000,
        recover_on="2025-09-19",
    ).json()
    assert body["what_if"]["before"]["f5"]["eligible_on"] == "2029-04-01"
    assert body["f5"]["on_track"] is False
    assert body["qualifies_for"] != "F-2-8"
    report = body["what_if"]["report"]
    assert (report["due_on"], report["recipient_office"]) == ("2025-10-10", "jeju")
    assert any(reason["rule"] == "R5" for reason in report["reasons"])


@pytest.mark.parametrize(
    "query, field",
    [
        ({"recover_krw": "1000000"}, "non_field_errors"),
        ({"recover_krw": "-5", "recover_on": "2025-09-19"}, "recover_krw"),
        ({"recover_krw": "2000000000", "recover_on": "2025-09-19"}, "recover_krw"),
        ({"as_of": "2025-13-01"}, "as_of"),
    ],
)
def test_bad_what_if_input_is_a_400(api, company, jeju, query, field):
    response = eligibility(api, company, jeju.investor_id, **query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_command_prints_the_same_explanation(jeju, capsys):
    call_command("eligibility", str(jeju.investor_id), "--as-of", "2025-01-01")
    out = capsys.readouterr().out
    assert "qualifies for: F-2-8" in out
    assert "eligible on 2029-04-01" in out
    assert "[R4]" in out
