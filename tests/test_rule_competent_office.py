"""Issue 8, "competent office by residence" (seed §6.F, §7.A): the investor's residence office
is part of the ledger (set through the verbs, the API and the forms) and the eligibility answer
names the office where the investor applies.

Seed §6.F: the office with jurisdiction over the facility (of the larger investment when there
are several); "If the applicant is a registered foreign resident, the application must be
submitted to the Immigration Office with jurisdiction over their place of residence."
Seed §7.A: "(Profit-loss type) Immigration office where development project is registered;
(Principal-guaranteed / Interest-free type) Sejongro Branch, Jeju Office (for residents in Jeju
only)".

Cases run through the ledger services, the public API and the investor form.
"""

from datetime import date

import pytest
from django.urls import reverse

from investments.models import Investor
from portal.models import Office
from reporting import eligibility_store
from reporting.models import EligibilityFact
from tests.factories import client, eligibility, kdb_deposit, project_operator, tourism_investment

pytestmark = pytest.mark.django_db

M = 1_000_000
ARN = "750412-5123456"
#: A new client's details, as the API takes them.
NGUYEN = {
    "full_name": "NGUYEN Lan",
    "nationality": "VN",
    "date_of_birth": "1980-01-01",
    "passport_number": "C1234567",
}


@pytest.fixture
def operator():
    """The registered operator of a profit-loss development project registered at Busan."""
    return project_operator("busan", name="Busan Regional Development", representative="Kang Minho")


def tourism(company, *, arn, residence, units=((1000 * M, "jeju"),)):
    investor = client(company, passport="E44412345", arn=arn, residence_office=residence)
    for k, (amount, zone) in enumerate(units):
        tourism_investment(
            company,
            investor=investor,
            zone=zone,
            unit_number=f"D-{k}",
            amount=amount,
            registered_on=date(2024, 3, 4),
        )
    return investor


def kdb(kdb_user, *, arn, residence):
    deposit = kdb_deposit(
        kdb_user,
        passport="G44412345",
        name="MA Lin",
        arn=arn,
        residence_office=residence,
    )
    return deposit.investor


def profit_loss(operator_user, *, arn, residence):
    investor = client(operator_user, passport="G55512345", arn=arn, residence_office=residence)
    kdb_deposit(
        operator_user,
        investor=investor,
        project="busan-regional",
        contract_date=date(2024, 7, 1),
        amount=1500 * M,
    )
    return investor


def assert_applies_at(api, hq, investor, office, words, seed):
    """The eligibility answer names ``office`` as where ``investor`` applies, in one R6 reason
    containing ``words`` and the office's name; the stored fact names the same office."""
    body = eligibility(api, hq, investor.pk, as_of="2024-09-02")
    assert body["application_office"]["code"] == office, seed
    office_reasons = [r for r in body["reasons"] if r["rule"] == "R6"]
    assert len(office_reasons) == 1 and words in office_reasons[0]["text"], seed
    assert Office.objects.get(code=office).name in office_reasons[0]["text"]
    # The stored fact (officers' lists, the F-5 pipeline) names the same office.
    eligibility_store.refresh_stale()
    fact = EligibilityFact.objects.get(person_id=investor.person_id)
    assert fact.office.code == office, seed


# (arn, residence office, units (None: one Jeju unit), office applied at, words of the reason),
# seed
TOURISM_CASES = [
    ("", "seoul", None, "jeju", "jurisdiction over the facility",
     "seed §6.F: not a registered resident: the facility's office"),
    (ARN, "seoul", None, "seoul", "place of residence",
     "seed §6.F ※: a registered foreign resident applies where they reside"),
    (ARN, None, None, "jeju", "residence office is not recorded",
     "seed §6.F: residence office unknown: the facility's, and the answer says so"),
    ("", None, ((1000 * M, "jeju"), (1200 * M, "busan-haeundae")), "busan", "largest investment",
     "seed §6.F: several facilities: the one of the larger investment"),
]  # fmt: skip


@pytest.mark.parametrize(
    "arn,residence,units,office,words,seed",
    TOURISM_CASES,
    ids=[
        "tourism-unregistered-facility-office",
        "tourism-registered-resident-residence-office",
        "tourism-registered-resident-without-residence-office",
        "tourism-two-facilities-larger-decides",
    ],
)
def test_a_tourism_investor_applies_at_the_facilitys_or_the_residence_office(
    api, hq, company, arn, residence, units, office, words, seed
):
    kwargs = {"units": units} if units else {}
    investor = tourism(company, arn=arn, residence=residence, **kwargs)
    assert_applies_at(api, hq, investor, office, words, seed)


# (arn, residence office, office applied at, words of the reason), seed
KDB_CASES = [
    ("", "jeju", "jeju", "residents of its jurisdiction",
     "seed §7.A: principal-guaranteed, a resident of Jeju applies at Jeju"),
    (ARN, "seoul", "sejongno", "principal-guaranteed deposits",
     "seed §7.A: principal-guaranteed, elsewhere the Sejongro Branch"),
    ("", None, "sejongno", "principal-guaranteed deposits",
     "seed §7.A: no residence recorded: the Sejongro Branch"),
]  # fmt: skip


@pytest.mark.parametrize(
    "arn,residence,office,words,seed",
    KDB_CASES,
    ids=[
        "kdb-jeju-resident-jeju-office",
        "kdb-seoul-resident-sejongno",
        "kdb-no-residence-sejongno",
    ],
)
def test_a_kdb_depositor_applies_at_jeju_or_the_sejongno_branch(
    api, hq, accounts, arn, residence, office, words, seed
):
    investor = kdb(accounts["kdb"], arn=arn, residence=residence)
    assert_applies_at(api, hq, investor, office, words, seed)


def test_a_profit_loss_investor_applies_where_the_project_is_registered(api, hq, operator):
    seed = "seed §7.A: profit-loss: where the project is registered, whatever the residence"
    investor = profit_loss(operator, arn=ARN, residence="jeju")
    assert_applies_at(api, hq, investor, "busan", "development project is registered", seed)


def test_the_office_is_named_in_korean_on_a_korean_answer(api, hq, company):
    investor = tourism(company, arn=ARN, residence="seoul")
    body = (
        api.as_user(hq)
        .get(f"/api/v1/investors/{investor.pk}/eligibility/", HTTP_ACCEPT_LANGUAGE="ko")
        .json()
    )
    assert body["application_office"] == {"code": "seoul", "name": "서울출입국·외국인청"}
    (reason,) = [r for r in body["reasons"] if r["rule"] == "R6"]
    assert "서울출입국·외국인청" in reason["text"] and "Seoul" not in reason["text"]


def test_the_residence_office_is_set_and_corrected_through_the_api(api, company):
    api.as_user(company)
    created = api.post(
        "/api/v1/investors/",
        {**NGUYEN, "alien_registration_number": ARN, "residence_office": "seoul"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["residence_office"] == "seoul"
    url = f"/api/v1/investors/{created.json()['id']}/"
    etag = api.get(url)["ETag"]
    moved = api.patch(
        url,
        {"residence_office": "jeju", "reason": "Moved to Jeju (residence report)"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert moved.status_code == 200, moved.content
    investor = Investor.objects.get(pk=created.json()["id"])
    assert investor.residence_office.code == "jeju"
    entry = investor.history.latest("history_date")
    assert (entry.history_change_reason, entry.residence_office_id) == (
        "correct_investor",
        investor.residence_office_id,
    )


def test_an_unknown_office_is_refused_naming_the_field(api, company):
    response = api.as_user(company).post(
        "/api/v1/investors/", {**NGUYEN, "residence_office": "atlantis"}, format="json"
    )
    assert response.status_code == 400
    assert "residence_office" in response.json()


def test_the_residence_office_is_set_through_the_investor_form(client, company, password):
    client.login(username=company.username, password=password)
    seoul = Office.objects.get(code="seoul")
    response = client.post(
        reverse("investor-new"),
        {
            "kind": "person",
            "full_name": "NGUYEN Lan",
            "nationality": "VN",
            "date_of_birth": "1980-01-01",
            "passport_number": "C1234567",
            "residence_office": seoul.pk,
        },
    )
    assert response.status_code == 302, response.content
    assert Investor.objects.get(full_name="NGUYEN Lan").residence_office == seoul
