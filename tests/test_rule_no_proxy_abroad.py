"""Issue 8, "no proxy while the investor is abroad" (seed §6.I, §7.E).

Seed §6.I (sales companies): "Eligibility for Acting as a Proxy - The representative of a sales
company or employees at the manager level or above … Proxy authorization cannot be granted if
the foreign investor is staying abroad." Seed §7.E (public-interest institutions): "CEO or
manager-level employee of the sales company … Except for visa issuance certificates, foreign
investors cannot authorize representation while staying abroad."

The investor is abroad while a *complete departure* lapse of one of the person's investments is
open. The agent is the institution's representative or a manager it registered as a proxy
agent; only a designated institution acts as a proxy.

Cases run through the public API (proxy applications) and the ledger services.
"""

from datetime import date

import pytest

from investments import services as ledger
from portal.models import ProxyAgent
from tests.factories import jeju_investment, kdb_deposit

pytestmark = pytest.mark.django_db

LEFT, BACK = date(2024, 8, 1), date(2024, 8, 20)


def ledger_of(user, who):
    if who == "company":
        return jeju_investment(user, passport="E33312345")
    return kdb_deposit(user, passport="G33312345", name="QIAN Yu")


def departed(user, investment, *, back=None):
    ledger.record_lapse(
        by=user, investment=investment, kind="departure", started_on=LEFT, ended_on=back
    )


#: The agent each institution names unless a case says otherwise: its representative.
REPRESENTATIVE = {"company": "Kim Minjun", "kdb": "Park Jihoon"}

# By id: (departure (None / "open" / "back"), kind, agent (None: the representative), the field
# a refusal names (None: accepted), seed)
SALES_COMPANY_CASES = {
    "sales-company-representative-investor-in-korea": (None, "extension", None, None,
        "seed §6.I: the representative files for an investor in Korea"),
    "sales-company-investor-abroad-refused": ("open", "extension", None, "investor",
        "seed §6.I: no proxy while the investor is staying abroad"),
    "sales-company-investor-back-accepted": ("back", "extension", None, None,
        "seed §6.I: the return ends the departure"),
    "sales-company-visa-certificate-abroad-refused": ("open", "visa_certificate", None, "investor",
        "seed §6.I: no exception for sales companies"),
    "unregistered-employee-refused": (None, "extension", "Choi Dawon", "agent_name",
        "seed §6.I: neither the representative nor a registered manager"),
}  # fmt: skip
PUBLIC_INTEREST_CASES = {
    "public-interest-visa-certificate-abroad-accepted": ("open", "visa_certificate", None, None,
        "seed §7.E: 'Except for visa issuance certificates'"),
    "public-interest-status-change-abroad-refused": ("open", "status_change", None, "investor",
        "seed §7.E: no representation while staying abroad"),
}  # fmt: skip
CASES = [
    *(pytest.param("company", *case, id=i) for i, case in SALES_COMPANY_CASES.items()),
    *(pytest.param("kdb", *case, id=i) for i, case in PUBLIC_INTEREST_CASES.items()),
]


@pytest.mark.parametrize("who,departure,kind,agent,refused_on,seed", CASES)
def test_proxy_applications_follow_the_seed(
    api, accounts, who, departure, kind, agent, refused_on, seed
):
    user = accounts["company.jeju" if who == "company" else "kdb"]
    investment = ledger_of(user, who)
    if departure:
        departed(user, investment, back=BACK if departure == "back" else None)
    response = api.as_user(user).post(
        "/api/v1/proxy-applications/",
        {
            "investor": investment.investor_id,
            "kind": kind,
            "agent_name": agent or REPRESENTATIVE[who],
        },
        format="json",
    )
    if refused_on is None:
        assert response.status_code == 201, (seed, response.content)
    else:
        assert response.status_code == 400, (seed, response.content)
        assert refused_on in response.json(), seed


def test_a_manager_registered_as_proxy_agent_may_file_until_withdrawn(api, company):
    """Seed §6.I: "employees at the manager level or above"."""
    investment = ledger_of(company, "company")
    agent = ProxyAgent.objects.create(
        organisation=company.organisation, name="Choi Dawon", position="Sales manager"
    )
    body = {"investor": investment.investor_id, "kind": "extension", "agent_name": "choi  dawon"}
    first = api.as_user(company).post("/api/v1/proxy-applications/", body, format="json")
    assert first.status_code == 201, first.content
    agent.active = False
    agent.save()
    second = api.as_user(company).post("/api/v1/proxy-applications/", body, format="json")
    assert second.status_code == 400 and "agent_name" in second.json()


def test_an_institution_whose_designation_is_cancelled_files_none(api, company):
    """Seed §6.I, §7.E: proxies are the designated institutions' privilege."""
    investment = ledger_of(company, "company")
    organisation = company.organisation
    organisation.designation_status = "cancelled"
    organisation.save()
    response = api.as_user(company).post(
        "/api/v1/proxy-applications/",
        {"investor": investment.investor_id, "kind": "extension", "agent_name": "Kim Minjun"},
        format="json",
    )
    assert response.status_code == 400 and "institution" in response.json()


def test_a_departure_recorded_by_another_institution_counts(api, company, kdb):
    """The person is abroad whoever recorded the departure: the rule reads the person."""
    investment = ledger_of(company, "company")
    deposit = kdb_deposit(kdb, passport="E33312345")  # the same person (CN, same passport)
    departed(kdb, deposit)
    response = api.as_user(company).post(
        "/api/v1/proxy-applications/",
        {"investor": investment.investor_id, "kind": "extension", "agent_name": "Kim Minjun"},
        format="json",
    )
    assert response.status_code == 400 and "investor" in response.json()
