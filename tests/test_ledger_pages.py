"""The ledger pages (SPEC §8 web portal): who sees which page, filters shared with the API and
the export, the forms going through the business verbs, the investor page's explanation,
F-5 clock and what-if, constant query counts, Korean by default."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investments import services
from investments.models import Investment, Investor, Payment, Recovery, Zone
from reporting.models import Obligation
from reporting.views.investor import clock_drawing
from tests.factories import client as register_client
from tests.factories import jeju_investment, page_cases, page_status, recovered
from tests.xlsx_support import export_rows

pytestmark = pytest.mark.django_db


def as_user(client, user):
    client.force_login(user)
    return client


def text(response):
    return response.content.decode()


def jeju_client(
    company, *, name="Li Wei", passport="E99887766", contract_date=date(2024, 3, 4), **fields
):
    """company.jeju's client with a fully paid Jeju condominium unit; ``(investor, investment)``."""
    investment = jeju_investment(
        company,
        name=name,
        passport=passport,
        date_of_birth=date(1970, 1, 1),
        unit_number=f"U-{passport[-4:]}",
        contract_date=contract_date,
        registered_on=contract_date,
        **fields,
    )
    return investment.investor, investment


@pytest.fixture
def on_track(company, officer):
    """A client on track for F-5: fully paid in 2024, F-2-8 from 2024-04-01."""
    investor, investment = jeju_client(company)
    services.grant_status(by=officer, investor=investor, code="F-2-8", granted_on=date(2024, 4, 1))
    return investor, investment


# --- who sees which page ----------------------------------------------------------------------

INVESTOR = "investor"
INVESTMENT = "investment"

#: Each page: (its argument, {persona: the status it answers}).
PAGE_STATUSES = {
    "investor-list": (None, {"company": 200, "officer": 200, "hq": 200, "kdb": 200}),
    "investment-list": (None, {"company": 200, "officer": 200, "hq": 200}),
    "investor-detail": (
        INVESTOR,
        {
            "company": 200,
            "officer": 200,
            "hq": 200,
            "other_company": 404,
            "kdb": 404,
            "officer_sejongno": 404,
        },
    ),
    "investor-new": (None, {"company": 200, "kdb": 200, "officer": 403, "hq": 403}),
    "investment-new": (None, {"company": 200, "officer": 403}),
    "payment-new": (INVESTMENT, {"company": 200, "other_company": 404, "officer": 403}),
    "recovery-new": (INVESTMENT, {"company": 200, "kdb": 404, "hq": 403}),
    "lapse-new": (INVESTMENT, {"company": 200, "officer_sejongno": 404}),
    "grant-new": (INVESTOR, {"officer": 200, "hq": 200, "company": 403, "officer_sejongno": 404}),
}


@pytest.mark.parametrize("name, argument, persona, status", page_cases(PAGE_STATUSES))
def test_each_page_answers_each_role(request, client, jeju_ledger, name, argument, persona, status):
    args = {INVESTOR: [jeju_ledger.investor.pk], INVESTMENT: [jeju_ledger.investment.pk]}
    assert page_status(request, client, persona, name, args.get(argument)) == status


def test_pages_need_a_sign_in(client):
    response = client.get(reverse("investor-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "name, argument, data",
    [
        ("investor-new", None, {"full_name": "X", "nationality": "CN", "passport_number": "P1"}),
        ("investment-new", None, {"program": "tourism"}),
        ("payment-new", INVESTMENT, {"paid_on": "2025-01-02", "amount_krw": "5", "kind": "final"}),
        ("recovery-new", INVESTMENT, {"recovered_on": "2025-01-02", "amount_krw": "5"}),
        ("lapse-new", INVESTMENT, {"kind": "lease", "started_on": "2025-01-02"}),
    ],
)
def test_officers_cannot_post_to_the_ledger_forms(
    client, officer, jeju_ledger, name, argument, data
):
    args = {INVESTMENT: [jeju_ledger.investment.pk]}.get(argument)
    before = (Investor.objects.count(), Payment.objects.count(), Recovery.objects.count())
    response = as_user(client, officer).post(reverse(name, args=args), data)
    assert response.status_code == 403
    assert (Investor.objects.count(), Payment.objects.count(), Recovery.objects.count()) == before


def test_a_company_cannot_record_a_grant(client, company, jeju_ledger):
    url = reverse("grant-new", args=[jeju_ledger.investor.pk])
    response = as_user(client, company).post(url, {"code": "F-2-8", "granted_on": "2025-01-02"})
    assert response.status_code == 403


def test_create_links_are_shown_to_institutions_only(client, company, officer, jeju_ledger):
    url = reverse("investor-detail", args=[jeju_ledger.investor.pk])
    payment_url = reverse("payment-new", args=[jeju_ledger.investment.pk])
    grant_url = reverse("grant-new", args=[jeju_ledger.investor.pk])
    company_page = text(as_user(client, company).get(url))
    assert payment_url in company_page and grant_url not in company_page
    officer_page = text(as_user(client, officer).get(url))
    assert payment_url not in officer_page and grant_url in officer_page
    assert reverse("investor-new") not in text(client.get(reverse("investor-list")))


# --- tables, filters and the export -----------------------------------------------------------


def test_investor_list_filters_like_the_api(client, company, other_company, incheon_ledger):
    jeju_client(company, name="Chen Jing", passport="E11111111", nationality="CN")
    jeju_client(company, name="Tanaka Yui", passport="TK7654321", nationality="JP")
    client = as_user(client, company)
    everyone = text(client.get(reverse("investor-list")))
    assert "Chen Jing" in everyone and "Tanaka Yui" in everyone
    assert "Sato Kenji" not in everyone  # company.incheon's client
    japanese = text(client.get(reverse("investor-list"), {"nationality": "JP"}))
    assert "Tanaka Yui" in japanese and "Chen Jing" not in japanese
    # Issue 9.3: looked up by POST, never in the URL.
    by_passport = text(client.post(reverse("investor-list"), {"passport_number": "e1111 1111"}))
    assert "Chen Jing" in by_passport and "Tanaka Yui" not in by_passport
    assert "E1*****11" in by_passport and "E11111111" not in by_passport


def test_investor_list_pages_keep_the_filters(client, company):
    for n in range(51):
        register_client(
            company, name=f"Client {n:02}", date_of_birth=date(1970, 1, 1), passport=f"P{n:08}"
        )
    page = text(as_user(client, company).get(reverse("investor-list"), {"nationality": "CN"}))
    assert "nationality=CN&amp;page=2" in page
    second = text(client.get(reverse("investor-list"), {"nationality": "CN", "page": 2}))
    assert "Client 50" in second and "Client 00" not in second


def test_the_export_holds_exactly_the_filtered_rows(client, company, incheon_ledger):
    _, early = jeju_client(
        company, name="=cmd|' /C calc'!A0", passport="E22222222", contract_date=date(2023, 6, 1)
    )
    _, late = jeju_client(
        company, name="Zhou Min", passport="E33333333", contract_date=date(2024, 8, 1)
    )
    client = as_user(client, company)
    filters = {"contract_date_before": "2023-12-31", "zone": "jeju"}
    page = text(client.get(reverse("investment-list"), filters))
    assert f"#{early.pk}<" in page and f"#{late.pk}<" not in page

    rows = export_rows(client.get(reverse("investment-export"), filters))
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == [early.pk]
    assert body[0][1] == "'=cmd|' /C calc'!A0"  # escaped: a text, never a formula
    assert body[0][4] == "E2*****22"
    assert not any("E22222222" in str(cell) for row in rows for cell in row)
    assert len(header) == len(body[0])
    assert (body[0][14], body[0][15]) == (1_000_000_000, 0)  # paid, recovered

    everything = export_rows(client.get(reverse("investment-export")))
    assert {row[0] for row in everything[1:]} == {early.pk, late.pk}  # not company.incheon's


def test_the_export_refuses_broken_filters(client, company):
    response = as_user(client, company).get(
        reverse("investment-export"), {"contract_date_after": "not-a-date"}
    )
    assert response.status_code == 400


def test_investment_list_filters_by_program_and_shows_totals(client, hq, jeju_ledger, kdb_ledger):
    client = as_user(client, hq)
    page = text(client.get(reverse("investment-list"), {"program": "public_interest"}))
    assert f"#{kdb_ledger.investment.pk}<" in page
    assert f"#{jeju_ledger.investment.pk}<" not in page
    assert "1,500,000,000" in page  # paid into the KDB fund


# --- the forms through the business verbs -----------------------------------------------------


def test_investor_investment_payment_and_recovery_through_the_forms(client, company):
    client = as_user(client, company)
    response = client.post(
        reverse("investor-new"),
        {
            "kind": "person",
            "full_name": "Liu Yang",
            "nationality": "CN",
            "date_of_birth": "1980-02-03",
            "passport_number": "EA1234567",
        },
    )
    investor = Investor.objects.get(full_name="Liu Yang")
    assert response.status_code == 302
    assert response["Location"] == reverse("investor-detail", args=[investor.pk])

    response = client.post(
        reverse("investment-new"),
        {
            "investor": investor.pk,
            "program": "tourism",
            "investor_class": "registered_owner",
            "contract_date": "2024-03-04",
            "contract_amount_krw": "1,000,000,000",
            "zone": "jeju",
            "property_name": "Halla Resort",
            "unit_number": "B-101",
            "facility_type": "resort-condominium",
            "project": "kdb-fund",  # the other group: ignored for a tourism investment
        },
    )
    investment = Investment.objects.get(investor=investor)
    assert response.status_code == 302
    assert investment.contract_amount_krw == 1_000_000_000 and investment.project is None
    assert investment.unit.unit_number == "B-101"

    response = client.post(
        reverse("payment-new", args=[investment.pk]),
        {"paid_on": "2024-03-04", "amount_krw": "1000000000", "kind": "final", "currency": "KRW"},
    )
    assert response.status_code == 302
    assert investment.payments.get().amount_krw == 1_000_000_000

    response = client.post(
        reverse("recovery-new", args=[investment.pk]),
        {"recovered_on": "2025-09-19", "amount_krw": "200000000", "reason": "sale"},
        follow=True,
    )
    obligation = Obligation.objects.get(recovery__investment=investment)
    assert obligation.due_on == date(2025, 10, 10)  # SPEC R5 example
    assert "2025-10-10" in text(response)
    assert obligation.recipient_office.code == "jeju"
    assert response.redirect_chain[-1][0] == reverse("investor-detail", args=[investor.pk])


@pytest.mark.parametrize("amount", ["-5", "0", "1.5", "abc", ""])
def test_a_bad_payment_amount_is_shown_on_the_form_and_saves_nothing(
    client, company, jeju_ledger, amount
):
    before = Payment.objects.count()
    response = as_user(client, company).post(
        reverse("payment-new", args=[jeju_ledger.investment.pk]),
        {"paid_on": "2025-01-02", "amount_krw": amount, "kind": "final", "currency": "KRW"},
    )
    assert response.status_code == 400
    assert 'id="id_amount_krw_error"' in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert Payment.objects.count() == before


def test_a_recovery_larger_than_paid_is_refused_by_the_verb(client, company, jeju_ledger):
    before = (Recovery.objects.count(), Obligation.objects.count())
    response = as_user(client, company).post(
        reverse("recovery-new", args=[jeju_ledger.investment.pk]),
        {"recovered_on": "2025-09-19", "amount_krw": "900000000", "reason": "sale"},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'id="id_amount_krw_error"' in page and "800,000,000" in page  # what is held
    assert (Recovery.objects.count(), Obligation.objects.count()) == before


def test_a_verb_refusal_without_a_form_field_goes_above_the_form(client, company):
    investor, _ = jeju_client(company)
    response = as_user(client, company).post(
        reverse("investment-new"),
        {
            "investor": investor.pk,
            "program": "tourism",
            "investor_class": "depositor",  # not a tourism class: refused by record_investment
            "contract_date": "2024-03-04",
            "contract_amount_krw": "1000000000",
            "zone": "jeju",
            "property_name": "Halla Resort",
            "unit_number": "C-1",
            "facility_type": "resort-condominium",
        },
    )
    assert response.status_code == 400
    assert 'id="id_investor_class_error"' in text(response)
    assert Investment.objects.filter(investor=investor).count() == 1


def test_another_organisations_investor_is_not_offered(client, company, incheon_ledger):
    page = text(as_user(client, company).get(reverse("investment-new")))
    assert "Sato Kenji" not in page


def test_an_officer_records_a_grant_from_the_investor_page(client, officer, jeju_ledger):
    response = as_user(client, officer).post(
        reverse("grant-new", args=[jeju_ledger.investor.pk]),
        {"code": "F-5-17", "granted_on": "2026-01-05"},
        follow=True,
    )
    assert jeju_ledger.investor.status_grants.filter(code="F-5-17").exists()
    assert "2026-01-05" in text(response)


def test_a_lapse_is_recorded_and_appears_on_the_timeline(client, company, jeju_ledger):
    response = as_user(client, company).post(
        reverse("lapse-new", args=[jeju_ledger.investment.pk]),
        {"kind": "lease", "started_on": "2025-08-01", "ended_on": "2025-07-01"},
    )
    assert response.status_code == 400  # ends before it starts
    response = client.post(
        reverse("lapse-new", args=[jeju_ledger.investment.pk]),
        {"kind": "lease", "started_on": "2025-08-01"},
        follow=True,
    )
    assert jeju_ledger.investment.lapses.filter(kind="lease").exists()
    assert "2025-08-01" in text(response)


# --- the investor page ------------------------------------------------------------------------


def test_the_investor_page_explains_eligibility_with_rule_ids_and_draws_the_clock(
    client, company, on_track
):
    investor, _ = on_track
    page = text(as_user(client, company).get(reverse("investor-detail", args=[investor.pk])))
    for rule in ("R2", "R3", "R4"):
        assert re.search(rf'<span class="badge rule"[^>]*>{rule}</span>', page)
    # the source as a readable citation in the page's language (issue 8), not the internal key
    assert "출입국 지침 §6.A" in page and "seed §6.A" not in page
    assert '<svg class="chart clock"' in page and 'role="img"' in page
    assert '<rect class="counted"' in page
    assert "2029-04-01" in page  # F-5 eligible: five years from the 2024-04-01 grant
    assert "E9*****66" in page and "E99887766" not in page


def test_the_timeline_is_one_chronological_list(client, company, jeju_ledger):
    """Payments, the grant, recoveries (with their report's due date and state) and lapse
    starts and ends, in date order."""
    recovery = recovered(
        company, date(2025, 9, 19), investment=jeju_ledger.investment, amount_krw=100_000_000
    )
    recovery.obligation.state = "overdue"
    recovery.obligation.save()
    page = text(
        as_user(client, company).get(reverse("investor-detail", args=[jeju_ledger.investor.pk]))
    )
    timeline = page[page.index('class="timeline"') :]
    days = [
        "2024-03-04",
        "2024-06-03",
        "2024-09-02",
        "2024-10-01",
        "2025-02-03",
        "2025-03-03",
        "2025-06-30",
        "2025-09-19",
    ]
    positions = [timeline.index(f"<strong>{day}</strong>") for day in days]
    assert positions == sorted(positions)
    assert '<span class="badge overdue">' in timeline
    assert "2025-10-10" in timeline  # the report's due date


def test_the_what_if_shows_the_report_it_would_require(client, company, on_track):
    investor, investment = on_track
    url = reverse("investor-detail", args=[investor.pk])
    page = text(
        as_user(client, company).get(
            url,
            {
                "recover_krw": "200,000,000",
                "recover_on": "2025-09-19",
                "recover_investment": investment.pk,
            },
        )
    )
    assert "2025-10-10" in page  # the report's due date (SPEC R5 example)
    whatif = page[page.index('id="whatif-h"') :]
    assert "2029-04-01" in whatif  # before
    assert "F-2-8" in whatif


def test_a_what_if_beyond_what_is_held_is_an_error_on_the_form(client, company, on_track):
    investor, _ = on_track
    page = text(
        as_user(client, company).get(
            reverse("investor-detail", args=[investor.pk]),
            {"recover_krw": "5000000000", "recover_on": "2025-09-19"},
        )
    )
    assert 'id="id_recover_krw_error"' in page


def test_the_clock_geometry_draws_intervals_pauses_and_markers():
    f5 = {
        "on_track": True,
        "eligible_on": date(2029, 4, 1),
        "intervals": [
            {"start": date(2024, 4, 1), "end": date(2025, 2, 2)},
            {"start": date(2025, 7, 1), "end": None},
        ],
    }
    clock = clock_drawing(f5, as_of=date(2026, 1, 1))
    assert clock["start"] == date(2024, 4, 1) and clock["end"] == date(2029, 4, 1)
    assert [bar["days"] for bar in clock["bars"]] == [308, 185]
    assert [(gap["start"], gap["end"]) for gap in clock["gaps"]] == [
        (date(2025, 2, 3), date(2025, 6, 30))
    ]
    assert clock["projected"]["start"] == date(2026, 1, 2)
    assert clock["left"] <= clock["today_x"] < clock["eligible_x"] == clock["right"]
    assert [tick["label"] for tick in clock["ticks"]] == [2025, 2026, 2027, 2028, 2029]


def test_the_clock_without_a_start_still_draws_an_axis():
    f5 = {"on_track": False, "eligible_on": None, "intervals": []}
    clock = clock_drawing(f5, as_of=date(2026, 1, 1))
    assert clock["bars"] == [] and clock["projected"] is None
    assert clock["end"] == date(2026, 1, 1) + timedelta(days=365)


# --- query counts and language ----------------------------------------------------------------


def investor_list_queries(client, user):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("investor-list")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["company", "officer"])
def test_the_investor_list_query_count_does_not_grow_with_rows(request, client, company, persona):
    user = request.getfixturevalue(persona)
    client = as_user(client, user)
    jeju_client(company, passport="Q00000000")
    one = investor_list_queries(client, user)
    for n in range(1, 30):
        jeju_client(company, name=f"Client {n}", passport=f"G{n:08}")
    thirty = investor_list_queries(client, user)
    assert thirty == one


def test_the_investment_list_query_count_does_not_grow_with_rows(client, company):
    client = as_user(client, company)
    jeju_client(company, passport="Q00000000")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("investment-list"))
    for n in range(1, 20):
        jeju_client(company, name=f"Client {n}", passport=f"G{n:08}")
    with CaptureQueriesContext(connection) as twenty:
        client.get(reverse("investment-list"))
    assert len(twenty) == len(one)


def test_korean_is_the_default_and_english_can_be_chosen(client, company):
    client = as_user(client, company)
    assert '<html lang="ko">' in text(client.get(reverse("investor-list")))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/investors/"})
    assert response.status_code == 302
    page = text(client.get(reverse("investor-list")))
    assert '<html lang="en">' in page
    assert "Register an investor" in page


def test_zone_names_show_in_the_table_and_every_filter_option(client, company, jeju_ledger):
    """Zones have ``name``/``name_ko``; the table's zone column and all seven zone options of
    the filter show them in the page's language (they were blank)."""
    client = as_user(client, company)
    page = text(client.get(reverse("investment-list")))
    options = re.findall(
        r'<option value="([^"]+)"[^>]*>([^<]*)</option>',
        page.split('id="f-zone"')[1].split("</select>")[0],
    )
    zones = Zone.objects.all()
    assert dict(options) == {zone.code: zone.name_ko for zone in zones}
    assert all(label.strip() for _, label in options)
    assert "<td>제주특별자치도</td>" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(reverse("investment-list")))
    assert "<td>Jeju Special Self-Governing Province</td>" in page
    assert "제주특별자치도" not in page


def test_projects_organisations_and_nationalities_read_in_the_page_language(
    client, hq, company, jeju_ledger, kdb_ledger
):
    """Korean names for the KDB fund, institutions and facility types; nationalities as
    country names, not ISO codes (issue 11)."""
    page = text(as_user(client, hq).get(reverse("investment-list")))
    assert "한국산업은행 공익펀드" in page  # the KDB fund, in the filter and the table
    assert "한라리조트개발 주식회사" in page  # the institution filter
    assert "중국" in page and '<span class="muted">CN</span>' not in page
    assert "휴양 콘도미니엄" in text(as_user(client, company).get(reverse("investment-new")))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(as_user(client, hq).get(reverse("investment-list")))
    assert "KDB public-interest fund" in page and "China" in page
    assert "한국산업은행" not in page
