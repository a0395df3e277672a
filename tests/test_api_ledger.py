"""The SPEC §8.2 API contract, walked through its happy path.

A sales company (company.jeju) signs in with a token, registers a client, records a 2024 Jeju
condominium purchase, its payments, a partial recovery and a lapse; KDB records a deposit into
the public-interest fund; an officer records a residence-status grant. Reference data
(zones, offices) is read back in the contract's shape.
"""

import pytest

from tests.factories import LEDGER_LISTS

API = "/api/v1"
PAGE_KEYS = {"count", "next", "previous", "results"}

INVESTOR = {
    "kind": "person",
    "full_name": "Li Wei",
    "nationality": "CN",
    "date_of_birth": "1972-08-15",
    "passport_number": "EA9876543",
}


def post(api, path, payload):
    return api.post(f"{API}/{path}/", payload, format="json")


def created(response):
    assert response.status_code == 201, response.content
    return response.json()


def jeju_investment_payload(investor_id, **changes):
    return {
        "investor": investor_id,
        "program": "tourism",
        "zone": "jeju",
        "investor_class": "registered_owner",
        "property_name": "Seogwipo Ocean Condo",
        "unit_number": "B-707",
        "facility_type": "resort-condominium",
        # 2024 is in the 2023-05-01 – 2026-04-30 period: minimum KRW 1,000,000,000.
        "contract_date": "2024-02-05",
        "contract_amount_krw": 1_000_000_000,
        "registered_on": None,
        **changes,
    }


# --- token ------------------------------------------------------------------------------------


def test_token_endpoint_issues_a_token_that_authenticates_api_calls(api, company, password):
    response = api.post(
        f"{API}/auth/token/", {"username": company.username, "password": password}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"{API}/investors/").status_code == 200


def test_token_endpoint_refuses_a_wrong_password(api, company):
    response = api.post(
        f"{API}/auth/token/", {"username": company.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


# --- investors --------------------------------------------------------------------------------


def test_company_registers_investor_and_reads_only_the_masked_passport(api, company):
    body = created(post(api.as_user(company), "investors", INVESTOR))

    assert isinstance(body["id"], int)
    assert body["kind"] == "person"
    assert body["nationality"] == "CN"
    assert body["date_of_birth"] == "1972-08-15"
    assert "passport_number" not in body
    assert body["passport_number_masked"] == "EA*****43"

    detail = api.get(f"{API}/investors/{body['id']}/").json()
    assert "passport_number" not in detail
    assert detail["passport_number_masked"] == "EA*****43"


def test_investor_lookup_finds_the_exact_passport_number_sent_by_post(api, company):
    """Issue 9.3: the number travels in the body; a query string would put it in logs."""
    api.as_user(company)
    mine = created(post(api, "investors", INVESTOR))
    other = {**INVESTOR, "full_name": "Zhao Lei", "passport_number": "EB1234567"}
    created(post(api, "investors", other))

    found = post(api, "investors/lookup", {"passport_number": "EA9876543"}).json()
    assert [row["id"] for row in found["results"]] == [mine["id"]]

    partial = post(api, "investors/lookup", {"passport_number": "EA98765"}).json()
    assert partial["count"] == 0


def test_a_passport_number_in_a_query_string_is_refused(api, company):
    api.as_user(company)
    created(post(api, "investors", INVESTOR))

    response = api.get(f"{API}/investors/", {"passport_number": "EA9876543"})

    assert response.status_code == 400
    assert "passport_number" in response.json()


def test_the_lookup_finds_only_what_the_caller_may_see(api, company, other_company):
    api.as_user(company)
    created(post(api, "investors", INVESTOR))

    api.as_user(other_company)
    found = post(api, "investors/lookup", {"passport_number": "EA9876543"}).json()

    assert found["count"] == 0


# --- a Jeju investment and its money ----------------------------------------------------------


def test_company_records_a_2024_jeju_investment_routed_to_the_jeju_office(api, company):
    api.as_user(company)
    investor = created(post(api, "investors", INVESTOR))

    body = created(post(api, "investments", jeju_investment_payload(investor["id"])))

    assert body["investor"] == investor["id"]
    assert body["institution"] == company.organisation_id
    assert body["program"] == "tourism"
    assert body["zone"] == "jeju"
    assert body["project"] is None
    assert body["investor_class"] == "registered_owner"
    assert body["property_name"] == "Seogwipo Ocean Condo"
    assert body["unit_number"] == "B-707"
    assert body["facility_type"] == "resort-condominium"
    assert body["contract_date"] == "2024-02-05"
    assert body["contract_amount_krw"] == 1_000_000_000
    assert body["office"] == "jeju"
    assert body["paid_krw"] == 0
    assert body["recovered_krw"] == 0


def test_payments_partial_recovery_and_lapse_on_a_jeju_investment(api, company):
    api.as_user(company)
    investor = created(post(api, "investors", INVESTOR))
    investment = created(post(api, "investments", jeju_investment_payload(investor["id"])))
    pk = investment["id"]

    for paid_on, amount, kind in [
        ("2024-02-05", 100_000_000, "down"),
        ("2024-05-07", 400_000_000, "intermediate"),
        ("2024-08-05", 500_000_000, "final"),
    ]:
        payment = created(
            post(
                api,
                "payments",
                {"investment": pk, "paid_on": paid_on, "amount_krw": amount, "kind": kind},
            )
        )
        assert payment["amount_krw"] == amount
        assert isinstance(payment["amount_krw"], int)
        assert payment["kind"] == kind
        assert payment["paid_on"] == paid_on

    recovery = created(
        post(
            api,
            "recoveries",
            {
                "investment": pk,
                "recovered_on": "2025-03-04",
                "amount_krw": 300_000_000,
                "reason": "sale",
            },
        )
    )
    assert recovery["is_full"] is False
    assert recovery["amount_krw"] == 300_000_000

    lapse = created(
        post(
            api,
            "lapses",
            {"investment": pk, "kind": "lease", "started_on": "2025-04-01", "ended_on": None},
        )
    )
    assert lapse["kind"] == "lease"
    assert lapse["ended_on"] is None

    detail = api.get(f"{API}/investments/{pk}/").json()
    assert detail["paid_krw"] == 1_000_000_000
    assert detail["recovered_krw"] == 300_000_000

    payments = api.get(f"{API}/payments/", {"investment": pk}).json()
    assert [row["kind"] for row in payments["results"]] == ["down", "intermediate", "final"]


def test_recovering_everything_still_held_is_a_full_recovery(api, jeju_ledger):
    # Paid 1,000,000,000; 200,000,000 already recovered by the fixture.
    response = post(
        api.as_user(jeju_ledger.owner),
        "recoveries",
        {
            "investment": jeju_ledger.investment.pk,
            "recovered_on": "2025-05-02",
            "amount_krw": 800_000_000,
            "reason": "contract_cancellation",
        },
    )
    assert created(response)["is_full"] is True


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [*LEDGER_LISTS, "offices", "zones"])
def test_every_list_is_paginated_with_count_next_previous_results(api, jeju_ledger, endpoint):
    body = api.as_user(jeju_ledger.owner).get(f"{API}/{endpoint}/").json()

    assert isinstance(body, dict), f"/{endpoint}/ answers a bare list, not a page"
    assert set(body) == PAGE_KEYS
    assert body["count"] == len(body["results"]) > 0
    assert body["next"] is None and body["previous"] is None


def test_page_size_parameter_gives_next_and_previous_links(api, jeju_ledger):
    api.as_user(jeju_ledger.owner)
    first = api.get(f"{API}/payments/", {"page_size": 2}).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"] and first["previous"] is None

    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["previous"] and second["next"] is None


# --- reference data ---------------------------------------------------------------------------


def test_jeju_zone_has_its_office_dated_thresholds_and_periods(api, company):
    body = api.as_user(company).get(f"{API}/zones/jeju/").json()

    assert body["code"] == "jeju"
    assert body["name"]
    assert body["office"] == "jeju"
    thresholds = [
        {key: row[key] for key in ("minimum_krw", "effective_from", "effective_to")}
        for row in body["thresholds"]
    ]
    assert thresholds == [
        {"minimum_krw": 500_000_000, "effective_from": "2010-02-01", "effective_to": "2023-04-30"},
        {"minimum_krw": 1_000_000_000, "effective_from": "2023-05-01", "effective_to": None},
    ]
    assert [(row["start"], row["end"]) for row in body["periods"]] == [
        ("2010-02-01", "2023-04-30"),
        ("2023-05-01", "2026-04-30"),
    ]
    assert "sports-linked-housing" not in body["facility_types"]


def test_zone_list_names_all_seven_zones_with_their_offices(api, company):
    body = api.as_user(company).get(f"{API}/zones/").json()
    rows = body["results"] if isinstance(body, dict) else body

    assert {row["code"]: row["office"] for row in rows} == {
        "gangneung-jeongdongjin": "donghae",
        "yeosu-hwayang": "yeosu",
        "pyeongchang-alpensia": "chuncheon",
        "incheon-fez": "incheon",
        "jeju": "jeju",
        "yeosu-gyeongdo": "yeosu",
        "busan-haeundae": "busan",
    }


def test_offices_list_has_34_offices_and_sejongno_is_a_branch_of_seoul(api, company):
    body = api.as_user(company).get(f"{API}/offices/", {"page_size": 100}).json()

    assert body["count"] == 34
    offices = {row["code"]: row for row in body["results"]}
    assert offices["sejongno"]["parent"] == "seoul"
    assert offices["seoul"]["parent"] is None
    assert {"code", "name", "parent"} <= set(offices["jeju"])

    detail = api.get(f"{API}/offices/sejongno/").json()
    assert detail["parent"] == "seoul"


# --- KDB ----------------------------------------------------------------------------------------


def test_kdb_deposit_into_the_fund_is_routed_to_the_sejongno_branch(api, kdb):
    api.as_user(kdb)
    investor = created(
        post(api, "investors", {**INVESTOR, "nationality": "US", "passport_number": "561234567"})
    )
    investment = created(
        post(
            api,
            "investments",
            {
                "investor": investor["id"],
                "program": "public_interest",
                "project": "kdb-fund",
                "investor_class": "depositor",
                "contract_date": "2024-07-01",
                "contract_amount_krw": 1_500_000_000,
            },
        )
    )
    assert investment["office"] == "sejongno"
    assert investment["project"] == "kdb-fund"
    assert investment["zone"] is None
    assert investment["institution"] == kdb.organisation_id

    deposit = created(
        post(
            api,
            "payments",
            {
                "investment": investment["id"],
                "paid_on": "2024-07-01",
                "amount_krw": 1_500_000_000,
                "kind": "deposit",
            },
        )
    )
    assert deposit["kind"] == "deposit"
    assert api.get(f"{API}/investments/{investment['id']}/").json()["paid_krw"] == 1_500_000_000


#: §8.2's names of an investment: who and where, what, when, and the portal's totals.
INVESTMENT_KEYS = {
    "id", "investor", "institution", "program", "office", "zone", "project",
    "investor_class", "property_name", "unit_number", "facility_type",
    "contract_date", "contract_amount_krw", "registered_on",
    "paid_krw", "recovered_krw",
}  # fmt: skip


def test_every_investment_reads_with_the_same_contract_keys(api, hq, jeju_ledger, kdb_ledger):
    """A client parsing §8.2's names must find each of them on a public-interest row too
    (empty where they do not apply), not a shorter object."""
    rows = api.as_user(hq).get(f"{API}/investments/").json()["results"]
    assert {row["program"] for row in rows} == {"tourism", "public_interest"}
    for row in rows:
        assert set(row) >= INVESTMENT_KEYS, (
            f"{row['program']}: missing {INVESTMENT_KEYS - set(row)}"
        )


# --- residence-status grants ------------------------------------------------------------------


def grant_payload(investor_id):
    return {
        "investor": investor_id,
        "code": "F-2-8",
        "granted_on": "2024-11-04",
        "expires_on": "2027-11-03",
    }


def test_jeju_officer_records_an_f_2_8_grant_for_the_jeju_investor(api, officer, jeju_ledger):
    body = created(
        post(api.as_user(officer), "status-grants", grant_payload(jeju_ledger.investor.pk))
    )
    assert body["investor"] == jeju_ledger.investor.pk
    assert body["code"] == "F-2-8"
    assert body["granted_on"] == "2024-11-04"
    assert body["expires_on"] == "2027-11-03"


def test_a_company_cannot_record_a_status_grant(api, jeju_ledger):
    from investments.models import StatusGrant

    before = StatusGrant.objects.count()
    response = post(
        api.as_user(jeju_ledger.owner), "status-grants", grant_payload(jeju_ledger.investor.pk)
    )
    assert response.status_code == 403
    assert StatusGrant.objects.count() == before


# --- schema and docs --------------------------------------------------------------------------


# Both need a sign-in (issue 9.9; tests/test_api_contract.py refuses the anonymous caller).


def test_openapi_schema_is_published(api, company):
    response = api.as_user(company).get(f"{API}/schema/")
    assert response.status_code == 200
    assert b"/api/v1/investments/" in response.content


def test_browsable_docs_are_served_beside_the_schema(api, company):
    assert api.as_user(company).get(f"{API}/docs/").status_code == 200
