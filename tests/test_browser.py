"""The web portal in a real browser (issue "Web portal" item 7): Playwright drives Debian's
Chromium against the live test server, as a person would — the keyboard on the login form,
inputs found by their labels, the language switched in the header.

* every role signs in and lands on its own dashboard, and signs out;
* a sales company records a recovery, sees its withdrawal report due, files it, and the Jeju
  officer sees it filed on time and acknowledges it;
* the officer returns a filed report from the review queue with a reason, and the company
  sees it returned on its dashboard;
* a company computes last month's notice, meets its warning, confirms, submits, and the officer
  sees the same receipt number;
* every dashboard, the deadlines, an investor page and a notice, in Korean and in English, are
  saved as screenshots (test-artifacts/screenshots/<lang>/) for people to look at;
* a company records a spouse and sees the family status open to her on the investor page;
* the header's search box finds an investor by passport number, posted, not in the URL;
* Tab walks the login form and a ledger form in order, and every field has a name.

Widths and machine-checked accessibility are tests/test_accessibility.py.

Without Chromium these tests are skipped, except in CI (``CI=true``), where they must run.

The live server answers from another thread, so the tests commit for real
(``transaction=True``); the flush at the end of each test also empties the reference data,
which ``reference_rows`` loads again for each test and for the tests that run later.
"""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from browser_support import (
    DESKTOP,
    HANGUL,
    PHONE,
    expect,
    jeju_investment,
    shoot,
    sign_in,
    sign_out,
    use_language,
)
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from investments.models import Investor
from portal.months import previous_month
from reporting import services as reporting
from reporting.models import MonthlyNotice, Obligation, ReportReview
from tests.factories import filed_report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_rows")]

HOMES = {
    "hq": "/hq/",
    "officer.jeju": "/office/",
    "officer.sejongno": "/office/",
    "company.jeju": "/dashboard/",
    "company.incheon": "/dashboard/",
    "kdb": "/dashboard/",
}
KOREAN_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ko" / "LC_MESSAGES" / "django.mo"
#: Finds every visible form field without an accessible name (label, aria-label(ledby), title).
UNNAMED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length)
    && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.name || el.outerHTML)"""
FOCUSED = "() => document.activeElement.name || document.activeElement.textContent.trim()"


#: Watches the confirmed form's button: when it turns disabled, notes it and submits again.
PRESS_AGAIN_WHEN_DISABLED = """() => {
  const form = document.querySelector('form[data-confirm]');
  const button = form.querySelector('button[type=submit]');
  new MutationObserver(() => {
    if (!button.disabled) return;
    sessionStorage.setItem('disabled-while-sending', 'yes');
    form.dataset.confirm = '';  // the second press would not be asked again
    form.requestSubmit();
  }).observe(button, {attributes: true});
}"""


def message(page):
    return page.locator("ul.messages li")


# --- 1. every role signs in -------------------------------------------------------------------


@pytest.mark.parametrize("username", list(HOMES))
def test_each_role_signs_in_and_lands_on_its_dashboard(
    username, accounts, password, open_page, live_server
):
    page = open_page(locale="ko-KR")
    sign_in(page, live_server.url, username, password)

    assert page.url == live_server.url + HOMES[username]
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h1")).to_have_count(1)
    assert page.locator("h1").inner_text().strip()
    expect(page.locator("nav a[aria-current='page']")).to_have_attribute("href", HOMES[username])
    expect(page.locator(".who")).to_contain_text(username)

    sign_out(page)
    page.goto(HOMES[username])
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


# --- 2. a withdrawal report, from the recovery to the officer's acknowledgement ---------------


def test_company_records_recovery_files_report_officer_sees_filed_on_time(
    company, officer, password, open_page, live_server
):
    today = timezone.localdate()
    recovered_on = today - timedelta(days=3)
    investment = jeju_investment(
        company, name="Chen Jing", passport="E55501234", contract_date=today - timedelta(days=400)
    )
    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)

    page.goto(f"/investors/{investment.investor_id}/")
    page.get_by_role("link", name="recovery", exact=True).click()
    expect(page.locator("h1")).to_have_text("Record a recovery (withdrawal)")
    page.get_by_label("Recovered on").fill(recovered_on.isoformat())
    page.get_by_label("Amount recovered (KRW)").fill("200,000,000")
    page.get_by_label("Reason").select_option("sale")
    page.get_by_role("button", name="Save").click()

    obligation = Obligation.objects.get(recovery__investment=investment)
    due = obligation.due_on.isoformat()
    assert obligation.due_on > today
    expect(message(page)).to_contain_text(f"Withdrawal report due {due}")
    expect(page).to_have_url(re.compile(rf"/investors/{investment.investor_id}/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    row = page.locator("#open-h + .table-wrap tr", has_text="Chen Jing")
    expect(row).to_contain_text(due)
    expect(row.locator(".badge")).to_have_text("Due")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Deadlines").click()
    row = page.locator("tbody tr", has_text="Chen Jing")
    expect(row).to_contain_text(due)
    row.get_by_role("link", name="File report").click()

    expect(page.locator("h1")).to_have_text("File a withdrawal report")
    expect(page.locator("dl.facts")).to_contain_text(due)
    letter = page.frame_locator("iframe.letter-preview")
    expect(letter.locator("h1")).to_contain_text("투자금 회수 신고")
    expect(letter.locator("body")).to_contain_text("Chen Jing")

    # Filing is irreversible: the browser asks first; "Cancel" sends nothing.
    asked, posts = [], []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="File the report").click()
    page.wait_for_timeout(300)
    assert len(asked) == 1 and "cannot be withdrawn" in asked[0] and posts == []
    # "OK" sends it once: once sent, the button is disabled and the form refuses a second
    # submit (what an impatient second press does). Noted in sessionStorage, which outlives
    # the navigation.
    page.evaluate(PRESS_AGAIN_WHEN_DISABLED)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="File the report").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))
    expect(message(page)).to_contain_text("Filed on time")
    assert page.evaluate("() => sessionStorage.getItem('disabled-while-sending')") == "yes"
    assert len(posts) == 1
    obligation.refresh_from_db()
    assert (obligation.state, obligation.filed_on) == ("filed_on_time", today)

    officer_page = open_page()
    sign_in(officer_page, live_server.url, "officer.jeju", password)
    nav = officer_page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Deadlines").click()
    officer_page.get_by_role("navigation", name="Quick filter").get_by_text(
        "Filed", exact=True
    ).click()
    row = officer_page.locator("tbody tr", has_text="Chen Jing")
    expect(row.locator(".badge.filed_on_time")).to_have_text("Filed on time")
    expect(row).to_contain_text(due)
    row.get_by_role("link", name="Report").click()

    officer_page.get_by_label("Acknowledged by the office").check()
    officer_page.get_by_role("button", name="Record the decision").click()
    expect(message(officer_page)).to_have_text("Report acknowledged.")
    expect(officer_page.locator("#reviews-h + ul .badge")).to_have_text(
        "Acknowledged by the office"
    )
    assert ReportReview.objects.get(report__obligation=obligation).state == "acknowledged"


def test_officer_returns_a_report_from_the_queue_and_the_company_sees_it_returned(
    company, officer, password, open_page, live_server
):
    report = filed_report(company)

    officer_page = open_page()
    sign_in(officer_page, live_server.url, "officer.jeju", password)
    expect(officer_page.locator("#c-review + .stat")).to_have_text("1")
    officer_page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Review queue"
    ).click()
    row = officer_page.locator("tbody tr", has_text="Wang Fang")
    expect(row.locator(".badge")).to_have_text("Awaiting review")
    row.get_by_text("Return…").click()
    row.get_by_label("What must the institution correct?").fill("Attach the sale contract.")
    row.get_by_role("button", name="Return the report").click()
    expect(message(officer_page)).to_have_text("Report returned to the institution for correction.")
    expect(officer_page.locator("tbody")).not_to_contain_text("Wang Fang")
    assert ReportReview.objects.get(report=report).state == "returned"

    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)
    row = page.locator("#returned-h ~ .table-wrap tr", has_text="Wang Fang")
    expect(row.locator(".badge")).to_have_text("Returned for correction")
    expect(row).to_contain_text("Attach the sale contract.")
    row.get_by_role("link", name="Amend the report").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))


# --- 3. a monthly notice with a warning, to its receipt ---------------------------------------


def test_company_reviews_notice_with_warning_confirms_submits_officer_sees_receipt(
    company, officer, password, open_page, live_server
):
    last_month = previous_month(timezone.localdate())
    investment = jeju_investment(
        company,
        name="Liu Yang",
        passport="E55505678",
        contract_date=last_month - timedelta(days=90),
    )
    reporting.record_recovery(
        by=company,
        investment=investment,
        recovered_on=last_month + timedelta(days=9),
        amount_krw=100_000_000,
        reason="sale",
    )  # its withdrawal report is not filed: the notice warns
    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Monthly notices").click()
    expect(page.get_by_label("Month")).to_have_value(last_month.strftime("%Y-%m"))
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page).to_have_url(re.compile(r"/notices/\d+/$"))
    notice_path = page.url.removeprefix(live_server.url)
    expect(page.locator(".checks li.warning")).to_contain_text("Liu Yang")
    expect(page.locator(".checks li.warning")).to_contain_text("not filed yet")

    page.watch.allow(f"{notice_path}submit/")  # the refusal answers 400
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit this notice…?" — yes
    page.get_by_role("button", name="Submit to the office").click()
    expect(page.locator(".field.check.invalid")).to_contain_text("Confirm these warnings")
    assert MonthlyNotice.objects.get().state == "draft"

    page.get_by_label("I have read the warnings above").check()
    page.get_by_role("button", name="Submit to the office").click()
    number = MonthlyNotice.objects.get().receipt_number
    assert number
    expect(message(page)).to_have_text(f"Notice submitted. Receipt number {number}.")
    expect(page.locator(".receipt")).to_contain_text(number)

    officer_page = open_page()
    sign_in(officer_page, live_server.url, "officer.jeju", password)
    nav = officer_page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Monthly notices").click()
    row = officer_page.locator("tbody tr", has_text=company.organisation.name)
    expect(row.locator("code")).to_have_text(number)
    row.get_by_role("link", name=last_month.strftime("%Y-%m")).click()
    expect(officer_page).to_have_url(re.compile(rf"{notice_path}$"))
    expect(officer_page.locator(".receipt strong")).to_have_text(number)


# --- 4. screenshots of every dashboard, in Korean and English ---------------------------------


def pages_of(username, company_pages):
    """``(name, path)`` of the pages each demo role is photographed on."""
    if username == "company.jeju":
        return [("institution-dashboard", "/dashboard/"), *company_pages]
    if username == "kdb":
        return [("kdb-dashboard", "/dashboard/")]
    if username == "officer.jeju":
        return [("office-dashboard", "/office/"), ("office-deadlines", "/deadlines/")]
    return [("hq-overview", "/hq/")]


def check_language(page, language):
    """The page says its language; a Korean page's headings are in Korean once the Korean
    catalogue is compiled (until then Django falls back to the English source texts)."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    if language == "ko" and KOREAN_CATALOGUE.exists():
        headings = " ".join(page.locator("main h1, main h2").all_inner_texts())
        assert HANGUL.search(headings), f"{page.url}: no Hangul in {headings!r}"


@pytest.mark.slow
def test_dashboards_screenshots(open_page, live_server):
    password = "demo-browser-2026"
    call_command("make_demo", investors=150, password=password, stdout=StringIO())
    investor = (
        Investor.objects.filter(
            institution__users__username="company.jeju", status_grants__isnull=False
        )
        .order_by("pk")
        .distinct()
        .first()
    )
    notice = (
        MonthlyNotice.objects.filter(institution__users__username="company.jeju")
        .order_by("-receipt_number", "-period")
        .first()
    )
    assert investor and notice, "make_demo made no investor with a grant, or no notice"
    company_pages = [
        ("deadlines", "/deadlines/"),
        ("investor", f"/investors/{investor.pk}/"),
        ("notice", f"/notices/{notice.pk}/"),
    ]
    saved = []
    for username in ("company.jeju", "kdb", "officer.jeju", "hq"):
        page = open_page(locale="ko-KR")
        if username == "company.jeju":
            page.goto("/accounts/login/")
            saved.append(shoot(page, "ko", "login"))
        sign_in(page, live_server.url, username, password)
        for language in ("ko", "en"):
            use_language(page, language)
            for name, path in pages_of(username, company_pages):
                page.goto(path)
                check_language(page, language)
                saved.append(shoot(page, language, name))
            if username == "company.jeju":
                page.set_viewport_size(PHONE)
                page.goto("/dashboard/")
                saved.append(shoot(page, language, "institution-dashboard-phone"))
                page.set_viewport_size(DESKTOP)
        if username == "company.jeju":
            sign_out(page)  # the language chosen outlives the session
            check_language(page, "en")
            saved.append(shoot(page, "en", "login"))
    assert all(path.stat().st_size > 10_000 for path in saved)


def test_company_voids_a_payment_and_the_draft_notice_says_it_changed(
    company, password, open_page, live_server
):
    """Issue 11 "must show": a correction after the draft was computed makes the draft say it
    is out of date before submission; recomputing brings it back in line."""
    last_month = previous_month(timezone.localdate())
    investment = jeju_investment(
        company, name="Zhao Min", passport="E55509876", contract_date=last_month
    )
    payment = investment.payments.get()
    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Monthly notices").click()
    page.get_by_role("button", name="Compute", exact=True).click()
    expect(page).to_have_url(re.compile(r"/notices/\d+/$"))
    notice_path = page.url.removeprefix(live_server.url)
    expect(page.get_by_text("all checks pass")).to_be_visible()

    page.goto(f"/entries/payment/{payment.pk}/void/")
    page.get_by_label("Reason for the correction").fill("Entered twice")
    page.on("dialog", lambda dialog: dialog.accept())  # "Void this entry?" — yes
    page.get_by_role("button", name="Save").click()
    expect(message(page)).to_contain_text("The entry was voided")

    page.goto(notice_path)
    expect(page.get_by_role("alert")).to_contain_text("The ledger has changed since this draft")
    expect(page.get_by_text("all checks pass")).to_have_count(0)
    page.get_by_role("button", name="Recompute from the ledger").click()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_company_records_a_spouse_and_the_investor_page_shows_her_status(
    company, password, open_page, live_server
):
    """Issue 11 "must show": a family member recorded through the page appears on the investor
    page with the status open to her: F-2-81 for the family of a tourism investor (seed §6
    heading, §6.D)."""
    investment = jeju_investment(
        company,
        name="Wang Fang",
        passport="E55503456",
        contract_date=timezone.localdate() - timedelta(days=200),
    )
    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)
    page.goto(f"/investors/{investment.investor_id}/")
    page.get_by_role("link", name="Record a relative").click()
    page.get_by_label("Relation").select_option(label="Spouse")
    page.get_by_label("Full name").fill("Li Wei")
    page.get_by_label("Nationality").select_option("CN")
    page.get_by_label("Date of birth").fill("1980-05-06")
    page.get_by_role("button", name="Save").click()
    expect(message(page)).to_contain_text("Li Wei")
    row = page.locator("section[aria-labelledby='family-h'] tbody tr", has_text="Li Wei")
    expect(row).to_contain_text("Spouse")
    expect(row).to_contain_text("F-2-81")


def test_the_search_box_finds_an_investor_by_passport_without_putting_it_in_the_url(
    company, password, open_page, live_server
):
    """Issue 11 "must show": the header's search box finds a client by passport number; the
    number is posted, never part of an address a browser history or a proxy log keeps."""
    jeju_investment(
        company,
        name="Kim Minji",
        passport="E55507777",
        contract_date=timezone.localdate() - timedelta(days=90),
    )
    page = open_page(viewport=PHONE)
    sign_in(page, live_server.url, "company.jeju", password)
    page.get_by_role("searchbox", name="Search").fill("E55507777")
    page.get_by_role("searchbox", name="Search").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/$"))
    page.get_by_role("link", name="Kim Minji").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kim Minji")
    assert "E55507777" not in page.url


# --- 5. the keyboard and accessible names -----------------------------------------------------


def tab_order(page, stop):
    """The fields focus visits on Tab from the focused one until ``stop``; the parts of one
    field (a date input's day, month and year) count once."""
    order = [page.evaluate(FOCUSED)]
    for _i in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused != order[-1]:
            order.append(focused)
        if focused == stop:
            return order
    raise AssertionError(f"Tab never reached {stop!r}: {order}")


def test_tab_walks_the_forms_in_order_and_every_field_has_a_name(
    company, password, open_page, live_server
):
    today = timezone.localdate()
    investment = jeju_investment(
        company, name="Zhao Lei", passport="E55509012", contract_date=today - timedelta(days=30)
    )
    page = open_page()
    page.goto("/accounts/login/")
    assert page.evaluate(UNNAMED_FIELDS) == []
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    assert tab_order(page, "Sign in") == ["username", "password", "Sign in"]

    page.locator("#id_password").fill(password)
    page.get_by_label("Username").fill("company.jeju")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")
    page.goto(f"/investments/{investment.pk}/recovery/")
    assert page.evaluate(UNNAMED_FIELDS) == []
    page.get_by_label("Recovered on").focus()
    order = tab_order(page, "Save")
    assert order == ["recovered_on", "amount_krw", "reason", "Save"]
