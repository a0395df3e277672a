"""SPEC §7 / §8.2: each organisation sees only its own ledger through the API; officers see
what is routed to their office; HQ sees all. Another organisation's object is 404 (never 403)
and another organisation's id in a field is a 400 naming the field, saving nothing.
"""

import pytest

from investments.models import Investment, Investor, Lapse, Payment, Recovery, StatusGrant

API = "/api/v1"

# endpoint → attribute of a ledger fixture holding that endpoint's object
LEDGER_OBJECTS = [
    ("investors", "investor"),
    ("investments", "investment"),
    ("payments", "payment"),
    ("recoveries", "recovery"),
    ("lapses", "lapse"),
    ("status-grants", "grant"),
]
COMPANY_OBJECTS = [row for row in LEDGER_OBJECTS if row[0] != "status-grants"]


def listed_ids(api, endpoint, **params):
    response = api.get(f"{API}/{endpoint}/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def detail_status(api, endpoint, pk):
    return api.get(f"{API}/{endpoint}/{pk}/").status_code


# --- another company ----------------------------------------------------------------------------


@pytest.mark.parametrize(("endpoint", "attr"), COMPANY_OBJECTS)
def test_another_company_gets_404_for_each_object_company_jeju_created(
    api, other_company, jeju_ledger, endpoint, attr
):
    pk = getattr(jeju_ledger, attr).pk
    api.as_user(other_company)

    assert detail_status(api, endpoint, pk) == 404
    assert pk not in listed_ids(api, endpoint)


@pytest.mark.parametrize(("endpoint", "attr"), COMPANY_OBJECTS[:3])
def test_another_company_still_sees_its_own_rows(api, incheon_ledger, jeju_ledger, endpoint, attr):
    api.as_user(incheon_ledger.owner)
    own = getattr(incheon_ledger, attr)
    assert listed_ids(api, endpoint) == {own.pk}
    assert detail_status(api, endpoint, own.pk) == 200


FILTERS_ON_FOREIGN_KEYS = [
    ("payments", "investment", "investment"),
    ("recoveries", "investment", "investment"),
    ("lapses", "investment", "investment"),
    ("investments", "investor", "investor"),
    ("status-grants", "investor", "investor"),
]


@pytest.mark.parametrize(
    ("endpoint", "param", "attr"),
    FILTERS_ON_FOREIGN_KEYS,
    ids=[f"{endpoint}?{param}=" for endpoint, param, _ in FILTERS_ON_FOREIGN_KEYS],
)
def test_filtering_by_another_orgs_id_answers_like_an_id_never_issued(
    api, other_company, jeju_ledger, endpoint, param, attr
):
    """Otherwise the filter is an oracle telling which ids exist in other ledgers."""
    api.as_user(other_company)
    theirs = api.get(f"{API}/{endpoint}/", {param: getattr(jeju_ledger, attr).pk})
    never = api.get(f"{API}/{endpoint}/", {param: 987_654_321})

    assert (theirs.status_code, theirs.json()) == (never.status_code, never.json())


def test_a_company_does_not_see_grants_recorded_on_another_institutions_client_record(
    api, company, kdb, officer_sejongno, jeju_ledger
):
    """The same person (CN + passport) is also KDB's depositor; the Sejongno officer records
    F-2-12 against KDB's client record. company.jeju must not learn of KDB's record from it."""
    from datetime import date

    from investments import services

    kdb_record = services.register_investor(
        by=kdb,
        full_name="Wang Fang",
        nationality="CN",
        date_of_birth=date(1975, 4, 12),
        passport_number=jeju_ledger.investor.passport_number,
    )
    assert kdb_record.person_id == jeju_ledger.investor.person_id
    kdb_grant = services.grant_status(
        by=officer_sejongno, investor=kdb_record, code="F-2-12", granted_on=date(2025, 1, 6)
    )

    api.as_user(company)
    response = api.get(f"{API}/status-grants/", {"page_size": 500})
    assert {row["investor"] for row in response.json()["results"]} == {jeju_ledger.investor.pk}
    assert detail_status(api, "status-grants", kdb_grant.pk) == 404
    # …while KDB still sees the grant recorded on its own record.
    api.as_user(kdb)
    assert detail_status(api, "status-grants", kdb_grant.pk) == 200


# --- officers and HQ ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        pytest.param("officer", "jeju_ledger", "kdb_ledger", id="jeju-not-kdb"),
        pytest.param("officer_sejongno", "kdb_ledger", "jeju_ledger", id="sejongno-not-jeju"),
    ],
)
@pytest.mark.parametrize(("endpoint", "attr"), LEDGER_OBJECTS)
def test_an_officer_sees_its_offices_ledger_but_not_the_others(
    request, api, jeju_ledger, kdb_ledger, persona, own, other, endpoint, attr
):
    """The Jeju officer sees the Jeju ledger and not KDB's; the Sejongno officer the reverse."""
    api.as_user(request.getfixturevalue(persona))
    own = getattr(request.getfixturevalue(own), attr).pk
    other = getattr(request.getfixturevalue(other), attr).pk

    assert detail_status(api, endpoint, own) == 200
    assert detail_status(api, endpoint, other) == 404
    ids = listed_ids(api, endpoint)
    assert own in ids
    assert other not in ids


def test_jeju_officer_sees_every_payment_of_the_jeju_investment(api, officer, jeju_ledger):
    api.as_user(officer)
    assert listed_ids(api, "payments") == {p.pk for p in jeju_ledger.payments}


@pytest.mark.parametrize(("endpoint", "attr"), COMPANY_OBJECTS)
def test_hq_sees_every_organisations_rows(
    api, hq, jeju_ledger, kdb_ledger, incheon_ledger, endpoint, attr
):
    api.as_user(hq)
    expected = {
        row.pk
        for ledger in (jeju_ledger, kdb_ledger, incheon_ledger)
        for row in (ledger.payments if attr == "payment" else [getattr(ledger, attr, None)])
        if row is not None
    }
    assert listed_ids(api, endpoint) == expected
    for pk in expected:
        assert detail_status(api, endpoint, pk) == 200


def test_hq_sees_every_status_grant(api, hq, jeju_ledger, kdb_ledger):
    api.as_user(hq)
    assert listed_ids(api, "status-grants") == {jeju_ledger.grant.pk, kdb_ledger.grant.pk}


def test_kdb_and_company_jeju_list_only_their_own_investors_and_investments(
    api, company, kdb, jeju_ledger, kdb_ledger
):
    api.as_user(kdb)
    assert listed_ids(api, "investors") == {kdb_ledger.investor.pk}
    assert listed_ids(api, "investments") == {kdb_ledger.investment.pk}
    api.as_user(company)
    assert listed_ids(api, "investors") == {jeju_ledger.investor.pk}
    assert listed_ids(api, "investments") == {jeju_ledger.investment.pk}


# --- another organisation's id in a field -------------------------------------------------------

MODELS = [Investor, Investment, Payment, Recovery, Lapse, StatusGrant]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def posting(endpoint, field, whose, **body):
    """A case's request: ``body`` posted to ``endpoint`` with ``field`` set to the id of that
    row of the ``whose`` ledger ("jeju" or "kdb")."""
    return endpoint, field, lambda ledgers: {field: getattr(ledgers[whose], field).pk, **body}


#: An Incheon FEZ lodging unit (``zone`` overridden where a case says).
INCHEON_UNIT = {
    "program": "tourism",
    "zone": "incheon-fez",
    "investor_class": "registered_owner",
    "property_name": "Songdo Bay Hotel",
    "unit_number": "2201",
    "facility_type": "lodging",
    "contract_date": "2024-06-03",
    "contract_amount_krw": 1_000_000_000,
}
#: A KDB deposit account.
KDB_DEPOSIT = {
    "program": "public_interest",
    "project": "kdb-fund",
    "investor_class": "depositor",
    "contract_date": "2024-07-01",
    "contract_amount_krw": 1_500_000_000,
}


def investment(whose, body):
    """An investment of ``body`` for the ``whose`` ledger's investor."""
    return posting("investments", "investor", whose, **body)


def payment(whose, kind):
    """A payment of KRW 1,000,000 on 2024-12-02."""
    return posting(
        "payments", "investment", whose, paid_on="2024-12-02", amount_krw=1_000_000, kind=kind
    )


def recovery(whose, reason):
    """A recovery of KRW 1,000,000 on 2025-03-04."""
    return posting(
        "recoveries",
        "investment",
        whose,
        recovered_on="2025-03-04",
        amount_krw=1_000_000,
        reason=reason,
    )


def lapse(whose, kind):
    """An open lapse from 2025-07-01."""
    return posting("lapses", "investment", whose, kind=kind, started_on="2025-07-01", ended_on=None)


def grant(whose, code):
    """A residence status granted on 2024-11-04."""
    return posting("status-grants", "investor", whose, code=code, granted_on="2024-11-04")


# id: (the persona posting, what it posts)
FOREIGN_FIELD_CASES = {
    "incheon-investment-on-jeju-investor": ("other_company", investment("jeju", INCHEON_UNIT)),
    "kdb-deposit-account-for-jeju-investor": ("kdb", investment("jeju", KDB_DEPOSIT)),
    "jeju-investment-on-kdb-investor": (
        "company",
        investment("kdb", {**INCHEON_UNIT, "zone": "jeju"}),
    ),
    "incheon-payment-into-jeju-investment": ("other_company", payment("jeju", "intermediate")),
    "jeju-payment-into-kdb-deposit": ("company", payment("kdb", "deposit")),
    "incheon-recovery-from-jeju-investment": ("other_company", recovery("jeju", "sale")),
    "kdb-recovery-from-jeju-investment": ("kdb", recovery("jeju", "early_repayment")),
    "incheon-lapse-on-jeju-investment": ("other_company", lapse("jeju", "lease")),
    "jeju-lapse-on-kdb-deposit": ("company", lapse("kdb", "seizure")),
    "sejongno-officer-grant-for-jeju-investor": ("officer_sejongno", grant("jeju", "F-2-8")),
    "jeju-officer-grant-for-kdb-investor": ("officer", grant("kdb", "F-2-12")),
}


@pytest.mark.parametrize(
    ("role", "posted"), list(FOREIGN_FIELD_CASES.values()), ids=list(FOREIGN_FIELD_CASES)
)
def test_another_organisations_id_in_a_field_is_400_on_that_field_and_saves_nothing(
    request, api, jeju_ledger, kdb_ledger, incheon_ledger, role, posted
):
    endpoint, field, body = posted
    user = request.getfixturevalue(role)
    before = counts()

    response = api.as_user(user).post(
        f"{API}/{endpoint}/", body({"jeju": jeju_ledger, "kdb": kdb_ledger}), format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert counts() == before


def test_an_id_of_another_organisation_reads_like_an_id_never_issued(
    api, other_company, jeju_ledger
):
    """The 400 message must not tell "exists elsewhere" from "does not exist"."""
    api.as_user(other_company)
    payload = {"paid_on": "2024-12-02", "amount_krw": 1_000_000, "kind": "intermediate"}

    theirs = api.post(
        f"{API}/payments/", {**payload, "investment": jeju_ledger.investment.pk}, format="json"
    )
    never = api.post(f"{API}/payments/", {**payload, "investment": 987_654_321}, format="json")

    assert theirs.status_code == never.status_code == 400
    assert theirs.json()["investment"] == [
        message.replace("987654321", str(jeju_ledger.investment.pk))
        for message in never.json()["investment"]
    ]
