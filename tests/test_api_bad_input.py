"""SPEC §7 "bad input gets a clear error and changes nothing", through the API.

Every case starts from a payload that is accepted as it is (checked first), changes one thing,
and expects a 400 naming the field, with no ledger row and no history row saved.
"""

from datetime import date, timedelta

import pytest

from investments import services
from investments.models import Investment, Investor, Lapse, Payment, Person, Recovery, StatusGrant
from tests.factories import investor_body, recovered

API = "/api/v1"
MODELS = [Person, Investor, Investment, Payment, Recovery, Lapse, StatusGrant]
HISTORY = [Investor, Investment, Payment, Recovery, Lapse, StatusGrant]


@pytest.fixture
def fresh(company, jeju_ledger):
    """A second Jeju unit of company.jeju's client: down payment 2024-03-04 (100,000,000) and
    final payment 2024-09-02 (900,000,000), nothing recovered yet."""
    investment = services.record_investment(
        by=company,
        investor=jeju_ledger.investor,
        program="tourism",
        zone=jeju_ledger.investment.zone,
        investor_class="registered_owner",
        property_name="Halla Resort",
        unit_number="A-1204",
        facility_type=jeju_ledger.investment.unit.facility_type,
        contract_date=date(2024, 3, 4),
        contract_amount_krw=1_000_000_000,
    )
    for day, amount, kind in [
        (date(2024, 3, 4), 100_000_000, "down"),
        (date(2024, 9, 2), 900_000_000, "final"),
    ]:
        services.record_payment(
            by=company, investment=investment, paid_on=day, amount_krw=amount, kind=kind
        )
    return investment


def base(endpoint, fresh, jeju_ledger):
    pk = fresh.pk
    return {
        "investors": {
            "kind": "person",
            "full_name": "Chen Jie",
            "nationality": "CN",
            "date_of_birth": "1979-05-06",
            "passport_number": "EC1112223",
        },
        "investments": {
            "investor": jeju_ledger.investor.pk,
            "program": "tourism",
            "zone": "jeju",
            "investor_class": "registered_owner",
            "property_name": "Halla Resort",
            "unit_number": "C-301",
            "facility_type": "resort-condominium",
            "contract_date": "2024-04-01",
            "contract_amount_krw": 1_000_000_000,
        },
        "payments": {
            "investment": pk,
            "paid_on": "2024-10-01",
            "amount_krw": 1_000_000,
            "kind": "intermediate",
        },
        "recoveries": {
            "investment": pk,
            "recovered_on": "2024-10-01",
            "amount_krw": 1_000_000,
            "reason": "sale",
        },
        "lapses": {
            "investment": pk,
            "kind": "lease",
            "started_on": "2024-10-01",
            "ended_on": "2024-12-31",
        },
        "status-grants": {
            "investor": jeju_ledger.investor.pk,
            "code": "F-2-8",
            "granted_on": "2024-10-01",
            "expires_on": "2027-09-30",
        },
    }[endpoint]


def snapshot():
    rows = {model.__name__: model.objects.count() for model in MODELS}
    rows |= {f"history:{model.__name__}": model.history.count() for model in HISTORY}
    return rows


def post(request, api, endpoint, payload):
    role = "officer" if endpoint == "status-grants" else "company"
    api.as_user(request.getfixturevalue(role))
    return api.post(f"{API}/{endpoint}/", payload, format="json")


@pytest.mark.parametrize(
    "endpoint", ["investors", "investments", "payments", "recoveries", "lapses", "status-grants"]
)
def test_the_unchanged_base_payload_is_accepted(request, api, fresh, jeju_ledger, endpoint):
    response = post(request, api, endpoint, base(endpoint, fresh, jeju_ledger))
    assert response.status_code == 201, response.content


def kdb_investment(api, kdb, investor, body):
    """KDB's request to record ``body`` as an investment of ``investor``."""
    return api.as_user(kdb).post(
        f"{API}/investments/", {**body, "investor": investor.pk}, format="json"
    )


def assert_refused(response, field, before):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert all(isinstance(message, str) and message for message in body[field])
    assert snapshot() == before


# --- money ------------------------------------------------------------------------------------

MONEY = [
    ("investments", "contract_amount_krw"),
    ("payments", "amount_krw"),
    ("recoveries", "amount_krw"),
]
BAD_AMOUNTS = {
    "negative": -1_000_000,
    "zero": 0,
    "fraction": 1.5,
    "fraction-as-string": "1.5",
    "json-float-with-zero-fraction": 100.0,
    "boolean": True,
    "thousands-separator": "1,000",
    "empty-string": "",
    "null": None,
    "too-large": 10**16,
}


@pytest.mark.parametrize("value", list(BAD_AMOUNTS.values()), ids=list(BAD_AMOUNTS))
@pytest.mark.parametrize(("endpoint", "field"), MONEY, ids=[e for e, _ in MONEY])
def test_an_amount_that_is_not_a_positive_whole_number_of_krw_is_refused(
    request, api, fresh, jeju_ledger, endpoint, field, value
):
    before = snapshot()
    payload = {**base(endpoint, fresh, jeju_ledger), field: value}
    assert_refused(post(request, api, endpoint, payload), field, before)


# --- one bad field at a time ------------------------------------------------------------------

FUTURE = (date.today() + timedelta(days=30)).isoformat()

#: Per endpoint, by case id: what changes in the accepted body; the refused field is the last
#: one the change names.
BAD_FIELDS = {
    "recoveries": {
        # fresh has 100,000,000 paid on 2024-03-04 and 900,000,000 on 2024-09-02
        "recovery-larger-than-paid": {"amount_krw": 1_000_000_001},
        "recovery-larger-than-paid-up-to-its-date": {
            "recovered_on": "2024-06-03",
            "amount_krw": 150_000_000,
        },
        "recovery-before-contract": {"recovered_on": "2024-03-03"},
        "recovery-reason-unknown": {"reason": "gift"},
        "recovery-in-the-future": {"recovered_on": FUTURE},
    },
    "investments": {
        "unknown-zone": {"zone": "atlantis"},
        "unknown-facility-type": {"facility_type": "castle"},
        "facility-type-not-eligible-in-zone": {"facility_type": "sports-linked-housing"},
        "unknown-program": {"program": "golden_visa"},
        "unknown-investor-class": {"investor_class": "renter"},
        "investor-class-of-the-other-program": {"investor_class": "depositor"},
        "tourism-without-zone": {"zone": None},
        "contract-in-the-future": {"contract_date": FUTURE},
        "registered-before-contract": {"registered_on": "2024-03-31"},
        "unknown-investor-id": {"investor": 987_654_321},
    },
    "payments": {
        "payment-in-the-future": {"paid_on": FUTURE},
        "payment-before-contract": {"paid_on": "2024-03-01"},
        "unknown-payment-kind": {"kind": "cash"},
        "deposit-on-non-linked-tourism-investment": {"kind": "deposit"},
        "unknown-currency": {"currency": "XYZ"},
    },
    "lapses": {
        "lapse-ending-before-it-starts": {"ended_on": "2024-09-30"},
        "unknown-lapse-kind": {"kind": "vacation"},
    },
    "investors": {
        "unknown-nationality": {"nationality": "XX"},
        "nationality-alpha-3": {"nationality": "CHN"},
        "birth-date-in-the-future": {"date_of_birth": FUTURE},
        "person-without-birth-date": {"date_of_birth": None},
        "blank-passport": {"passport_number": "  "},
        "unknown-investor-kind": {"kind": "trust"},
    },
    "status-grants": {
        "unknown-status-code": {"code": "F-9-99"},
        "grant-expiring-before-it-starts": {"expires_on": "2024-09-30"},
    },
}
CASES = {
    case: (endpoint, [*changes][-1], changes)
    for endpoint, cases in BAD_FIELDS.items()
    for case, changes in cases.items()
}


@pytest.mark.parametrize(("endpoint", "field", "changes"), list(CASES.values()), ids=list(CASES))
def test_bad_field_is_refused_with_its_message_and_nothing_saved(
    request, api, fresh, jeju_ledger, endpoint, field, changes
):
    before = snapshot()
    payload = {**base(endpoint, fresh, jeju_ledger), **changes}
    assert_refused(post(request, api, endpoint, payload), field, before)


def test_kdb_naming_an_unknown_project_is_refused(api, kdb, kdb_ledger):
    deposit = {
        "program": "public_interest",
        "project": "no-such-fund",
        "investor_class": "depositor",
        "contract_date": "2024-09-02",
        "contract_amount_krw": 1_500_000_000,
    }
    before = snapshot()
    assert_refused(kdb_investment(api, kdb, kdb_ledger.investor, deposit), "project", before)


# --- dates ------------------------------------------------------------------------------------

DATE_FIELDS = [
    ("investors", "date_of_birth"),
    ("investments", "contract_date"),
    ("payments", "paid_on"),
    ("recoveries", "recovered_on"),
    ("lapses", "started_on"),
    ("lapses", "ended_on"),
    ("status-grants", "granted_on"),
]
MALFORMED = ["2024-13-01", "2024-02-30", "2024/01/01", "01.02.2024", "yesterday", 20240101]


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize(("endpoint", "field"), DATE_FIELDS, ids=[f for _, f in DATE_FIELDS])
def test_a_malformed_date_is_refused(request, api, fresh, jeju_ledger, endpoint, field, value):
    before = snapshot()
    payload = {**base(endpoint, fresh, jeju_ledger), field: value}
    assert_refused(post(request, api, endpoint, payload), field, before)


# --- duplicates -------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["E12345678", "e12345678", "E1234-5678", " E 12345678 "])
def test_the_same_passport_twice_in_one_institutions_ledger_is_refused(
    api, company, jeju_ledger, spelling
):
    before = snapshot()
    response = api.as_user(company).post(
        f"{API}/investors/", investor_body(spelling), format="json"
    )
    assert_refused(response, "passport_number", before)


# --- the recovery limit counts what was held on the recovery's own date -------------------------


def recover(api, company, investment, day, amount):
    return api.as_user(company).post(
        f"{API}/recoveries/",
        {"investment": investment.pk, "recovered_on": day, "amount_krw": amount, "reason": "sale"},
        format="json",
    )


def test_an_earlier_recovery_entered_late_is_accepted_when_the_money_was_held_then(
    api, company, fresh
):
    """Held on 2024-06-03: 100,000,000 paid, nothing recovered yet. A 500,000,000 recovery of
    2024-10-01 is already in the ledger (1,000,000,000 paid by then), so recovering
    50,000,000 on 2024-06-03 overdraws no day: 2024-06-03 holds 50,000,000 after it and
    2024-10-01 holds 450,000,000."""
    recovered(company, date(2024, 10, 1), investment=fresh, amount_krw=500_000_000)

    response = recover(api, company, fresh, "2024-06-03", 50_000_000)

    assert response.status_code == 201, response.content
    assert response.json()["is_full"] is False


def test_an_earlier_recovery_entered_late_is_refused_when_it_overdraws_a_later_day(
    api, company, fresh
):
    recovered(company, date(2024, 10, 1), investment=fresh, amount_krw=1_000_000_000)
    before = snapshot()

    response = recover(api, company, fresh, "2024-06-03", 50_000_000)

    assert_refused(response, "amount_krw", before)


# --- codes and amounts kept in their canonical form -------------------------------------------


def test_a_lowercase_nationality_is_refused_or_stored_upper_case(api, company):
    response = api.as_user(company).post(
        f"{API}/investors/",
        {
            "kind": "person",
            "full_name": "Chen Jie",
            "nationality": "cn",
            "date_of_birth": "1979-05-06",
            "passport_number": "EC1112223",
        },
        format="json",
    )
    if response.status_code != 400:
        assert response.status_code == 201
        assert response.json()["nationality"] == "CN"
        assert Investor.objects.get(pk=response.json()["id"]).nationality == "CN"


def dollar_payment(fresh, *, currency="USD", original_amount="10000.00"):
    """An intermediate payment of KRW 13,500,000 on ``fresh`` made in dollars."""
    return {
        "investment": fresh.pk,
        "paid_on": "2024-10-01",
        "amount_krw": 13_500_000,
        "kind": "intermediate",
        "currency": currency,
        "original_amount": original_amount,
    }


def test_a_lowercase_currency_is_refused_or_stored_upper_case(api, company, fresh):
    response = api.as_user(company).post(
        f"{API}/payments/", dollar_payment(fresh, currency="usd"), format="json"
    )
    if response.status_code != 400:
        assert response.status_code == 201
        assert response.json()["currency"] == "USD"


@pytest.mark.parametrize("value", ["-10000.00", "0"])
def test_an_original_amount_that_is_not_positive_is_refused_on_that_field(
    api, company, fresh, value
):
    before = snapshot()
    response = api.as_user(company).post(
        f"{API}/payments/", dollar_payment(fresh, original_amount=value), format="json"
    )
    assert_refused(response, "original_amount", before)


def test_kdb_cannot_record_a_tourism_unit_sale(api, kdb, kdb_ledger, fresh, jeju_ledger):
    """KDB keeps the public-interest fund's deposits (SPEC §1); units in a zone are sold by
    sales companies."""
    unit = {
        **base("investments", fresh, jeju_ledger),
        "unit_number": "K-1",
        "facility_type": "lodging",
    }
    before = snapshot()
    assert_refused(kdb_investment(api, kdb, kdb_ledger.investor, unit), "program", before)


# --- issue 9.6: bodies that would crash a parser ------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_and_saves_nothing(api, company, depth):
    api.as_user(company)
    before = snapshot()
    body = '{"full_name": ' + "[" * depth + "]" * depth + "}"

    response = api.post(
        f"{API}/investors/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The JSON is nested too deeply."}
    assert snapshot() == before


def test_brackets_inside_strings_do_not_count_as_nesting(api, company):
    api.as_user(company)
    body = {
        "full_name": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{",
        "nationality": "CN",
        "date_of_birth": "1980-01-01",
        "passport_number": "E55555555",
    }

    response = api.post(f"{API}/investors/", body, format="json")

    assert response.status_code == 201, response.content


def test_an_oversized_json_body_is_a_400(api, company, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    api.as_user(company)
    before = snapshot()

    response = api.post(
        f"{API}/investors/", {"full_name": "x" * 2000, "nationality": "CN"}, format="json"
    )

    # Refused by Django itself (RequestDataTooBig) when a middleware reads the body first,
    # otherwise by the parser: a 400 either way.
    assert response.status_code == 400
    assert snapshot() == before
