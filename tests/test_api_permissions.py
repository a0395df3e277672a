"""The permission table of the REST API (SPEC §7, §8.2).

Every role × every endpoint × every action → the status the contract promises:

* anonymous callers get 401 everywhere;
* everybody signed in reads reference data and lists (filtered by the access gate);
* an object outside the caller's sight is 404 (company.jeju's rows are routed to the Jeju
  office, KDB's to the Sejongno Branch; HQ sees all);
* institutions create ledger rows for their own data (201), officers and HQ may not (403);
* only officers and HQ record status grants;
* an institution naming another organisation's object in a field gets 400.

The objects are built through ``investments.services`` by the ``jeju_ledger``, ``kdb_ledger``
and ``incheon_ledger`` fixtures.
"""

import pytest

API = "/api/v1"
ROLES = ["hq", "officer", "officer_sejongno", "company", "other_company", "kdb", "anonymous"]
INSTITUTIONS = {"company", "other_company", "kdb"}
LEDGER = ["investors", "investments", "payments", "recoveries", "lapses"]
ATTR = {
    "investors": "investor",
    "investments": "investment",
    "payments": "payment",
    "recoveries": "recovery",
    "lapses": "lapse",
    "status-grants": "grant",
}

# Who sees company.jeju's rows and KDB's rows (besides the owner).
SEES_JEJU = {"hq", "officer", "company"}
SEES_KDB = {"hq", "officer_sejongno", "kdb"}


def seen(role, who_sees):
    if role == "anonymous":
        return 401
    return 200 if role in who_sees else 404


def expected_ledger(role, action):
    if role == "anonymous":
        return 401
    return {
        "list": 200,
        "retrieve_jeju_object": seen(role, SEES_JEJU),
        "retrieve_kdb_object": seen(role, SEES_KDB),
        "create_own": 201 if role in INSTITUTIONS else 403,
        "create_on_others_object": 400 if role in INSTITUTIONS else 403,
    }[action]


def expected_grants(role, action):
    if role == "anonymous":
        return 401
    records = role in {"hq", "officer", "officer_sejongno"}
    return {
        "list": 200,
        "retrieve_jeju_object": seen(role, SEES_JEJU),
        "retrieve_kdb_object": seen(role, SEES_KDB),
        "create_own": 201 if records else 403,
        # HQ sees every investor, so it has no "other's" investor to name.
        "create_on_others_object": 403 if not records else (201 if role == "hq" else 400),
    }[action]


def expected_reference(role, action):
    if role == "anonymous":
        return 401
    return {
        "list": 200,
        "retrieve_jeju_object": 200,
        "retrieve_kdb_object": 200,
        "create_own": 405,
    }[action]


def table():
    rows = []
    for endpoint in ["offices", "zones"]:
        for action in ["list", "retrieve_jeju_object", "retrieve_kdb_object", "create_own"]:
            rows += [(role, endpoint, action, expected_reference(role, action)) for role in ROLES]
    for endpoint in [*LEDGER, "status-grants"]:
        actions = ["list", "retrieve_jeju_object", "retrieve_kdb_object", "create_own"]
        if endpoint != "investors":  # an investor has no parent object to borrow
            actions.append("create_on_others_object")
        rule = expected_grants if endpoint == "status-grants" else expected_ledger
        for action in actions:
            rows += [(role, endpoint, action, rule(role, action)) for role in ROLES]
    return rows


TABLE = table()


# --- payloads -----------------------------------------------------------------------------------

ZONE_OF = {"company": ("jeju", "resort-condominium"), "other_company": ("incheon-fez", "lodging")}


def investment_payload(ledger, role):
    if ledger.program == "public_interest" or role == "kdb":
        return {
            "investor": ledger.investor.pk,
            "program": "public_interest",
            "project": "kdb-fund",
            "investor_class": "depositor",
            "contract_date": "2024-09-02",
            "contract_amount_krw": 1_500_000_000,
        }
    zone, facility = ZONE_OF.get(role, ZONE_OF["company"])
    return {
        "investor": ledger.investor.pk,
        "program": "tourism",
        "zone": zone,
        "investor_class": "membership_holder",
        "property_name": "New Tower",
        "unit_number": "PH-1",
        "facility_type": facility,
        "contract_date": "2024-09-02",
        "contract_amount_krw": 1_000_000_000,
    }


def payload(endpoint, ledger, role):
    """A payload valid for ``role`` when ``ledger`` is its own (``ledger`` may be None for
    roles that never get past the permission check)."""
    if endpoint == "offices" or endpoint == "zones":
        return {"code": "new", "name": "New"}
    if endpoint == "investors":
        return {
            "kind": "person",
            "full_name": "New Client",
            "nationality": "JP",
            "date_of_birth": "1980-01-01",
            "passport_number": f"TZ{ROLES.index(role):07d}",
        }
    if endpoint == "status-grants":
        code = "F-2-12" if ledger.program == "public_interest" else "F-2-8"
        return {
            "investor": ledger.investor.pk,
            "code": code,
            "granted_on": "2024-11-04",
            "expires_on": "2027-11-03",
        }
    if endpoint == "investments":
        return investment_payload(ledger, role)
    public = role == "kdb"
    pk = ledger.investment.pk
    if endpoint == "payments":
        # at least KDB's smallest deposit (rule setting kdb_deposit_minimum_krw)
        kind = "deposit" if public else "intermediate"
        return {"investment": pk, "paid_on": "2024-12-02", "amount_krw": 10_000_000, "kind": kind}
    if endpoint == "recoveries":
        return {
            "investment": pk,
            "recovered_on": "2025-03-04",
            "amount_krw": 1_000_000,
            "reason": "early_repayment" if public else "sale",
        }
    return {"investment": pk, "kind": "lease", "started_on": "2025-07-01", "ended_on": None}


OWN_LEDGER = {
    "company": "jeju_ledger",
    "other_company": "incheon_ledger",
    "kdb": "kdb_ledger",
    "officer": "jeju_ledger",
    "officer_sejongno": "kdb_ledger",
    "hq": "jeju_ledger",
    "anonymous": "jeju_ledger",
}
OTHERS_LEDGER = {
    "company": "kdb_ledger",
    "other_company": "jeju_ledger",
    "kdb": "jeju_ledger",
    "officer": "kdb_ledger",
    "officer_sejongno": "jeju_ledger",
    "hq": "kdb_ledger",
    "anonymous": "kdb_ledger",
}


def object_url(endpoint, ledger, reference_code):
    if endpoint in {"offices", "zones"}:
        return f"{API}/{endpoint}/{reference_code}/"
    return f"{API}/{endpoint}/{getattr(ledger, ATTR[endpoint]).pk}/"


# --- the table ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "endpoint", "action", "status"),
    TABLE,
    ids=[f"{role}-{endpoint}-{action}-{status}" for role, endpoint, action, status in TABLE],
)
def test_permission_table(
    request, api, jeju_ledger, kdb_ledger, incheon_ledger, role, endpoint, action, status
):
    if role != "anonymous":
        api.as_user(request.getfixturevalue(role))
    reference_code = {"offices": "jeju", "zones": "jeju"}.get(endpoint)

    if action == "list":
        response = api.get(f"{API}/{endpoint}/")
    elif action == "retrieve_jeju_object":
        response = api.get(object_url(endpoint, jeju_ledger, reference_code))
    elif action == "retrieve_kdb_object":
        kdb_code = {"offices": "sejongno", "zones": "incheon-fez"}.get(endpoint)
        response = api.get(object_url(endpoint, kdb_ledger, kdb_code))
    else:
        chosen = OWN_LEDGER if action == "create_own" else OTHERS_LEDGER
        ledger = request.getfixturevalue(chosen[role])
        response = api.post(f"{API}/{endpoint}/", payload(endpoint, ledger, role), format="json")

    assert response.status_code == status, response.content


# --- what the statuses mean -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LEDGER)
@pytest.mark.parametrize("role", ["hq", "officer", "officer_sejongno"])
def test_officers_and_hq_cannot_write_the_ledger_and_nothing_is_saved(
    request, api, jeju_ledger, role, endpoint
):
    from investments.models import Investment, Investor, Lapse, Payment, Recovery

    models = [Investor, Investment, Payment, Recovery, Lapse]
    before = [model.objects.count() for model in models]
    api.as_user(request.getfixturevalue(role))

    response = api.post(
        f"{API}/{endpoint}/", payload(endpoint, jeju_ledger, "company"), format="json"
    )

    assert response.status_code == 403
    assert [model.objects.count() for model in models] == before


def test_a_row_created_through_the_api_belongs_to_the_callers_organisation(
    api, other_company, incheon_ledger
):
    api.as_user(other_company)
    body = api.post(
        f"{API}/investments/",
        {**investment_payload(incheon_ledger, "other_company"), "institution": 1},
        format="json",
    ).json()
    assert body["institution"] == other_company.organisation_id


def test_anonymous_answer_asks_for_a_token(api):
    response = api.get(f"{API}/investors/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_another_organisations_object_is_404_never_403(api, other_company, jeju_ledger):
    api.as_user(other_company)
    for endpoint, attr in ATTR.items():
        pk = getattr(jeju_ledger, attr).pk
        assert api.get(f"{API}/{endpoint}/{pk}/").status_code == 404
        assert api.get(f"{API}/{endpoint}/987654321/").status_code == 404
