"""The office's review in a real browser (issue 11, item 2): an officer returns a withdrawal
report and a monthly notice from the review queue; the company sees the report returned on its
dashboard and both returns in its notifications (the header's unread count, the list, mark all
read). The queue and the notification list are saved as screenshots at phone and desktop widths,
in Korean and English (test-artifacts/screenshots/<lang>/), for people to look at, and neither
page may be wider than a phone's screen.

Like tests/test_browser.py: Playwright drives Debian's Chromium against the live server; skipped
without it except in CI."""

import re
from datetime import timedelta

import pytest
from browser_support import DESKTOP, PHONE, expect, jeju_investment, shoot, sign_in, use_language
from django.utils import timezone

from portal.months import previous_month
from reporting.models import InboxItem, ReportReview
from tests.factories import filed_report, submitted_notice
from tests.test_accessibility import OVERFLOW

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_rows")]


def message(page):
    return page.locator("ul.messages li")


def a_submitted_notice(company):
    last_month = previous_month(timezone.localdate())
    jeju_investment(
        company, name="Liu Yang", passport="E55505678", contract_date=last_month - timedelta(90)
    )
    return submitted_notice(company, program="tourism", period=last_month)


def test_officer_returns_a_report_and_a_notice_and_the_company_is_told(
    company, officer, password, open_page, live_server
):
    report = filed_report(company)
    notice = a_submitted_notice(company)
    InboxItem.objects.filter(user=company).update(read_at=timezone.now())  # the openings: read

    office = open_page()
    sign_in(office, live_server.url, "officer.jeju", password)
    expect(office.locator("#c-notice-review + .stat")).to_have_text("1")
    office.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    row = office.locator("tbody tr", has_text="Wang Fang")
    row.get_by_text("Return…").click()
    row.get_by_label("What must the institution correct?").fill("Attach the sale contract.")
    row.get_by_role("button", name="Return the report").click()
    expect(message(office)).to_have_text("Report returned to the institution for correction.")
    assert ReportReview.objects.get(report=report).state == "returned"

    office.get_by_label("Kind").select_option("notices")
    office.get_by_role("button", name="Filter").click()
    row = office.locator("tbody tr", has_text=notice.receipt_number)
    expect(row.locator(".badge")).to_have_text("Awaiting review")
    row.get_by_text("Return…").click()
    row.get_by_label("What must the institution correct?").fill("Count the unit sold in May.")
    row.get_by_role("button", name="Return the notice").click()
    expect(message(office)).to_have_text("Notice returned to the institution for correction.")
    expect(office).to_have_url(re.compile(r"/reviews/\?kind=notices"))  # back to the same view
    expect(office.locator("tbody")).not_to_contain_text(notice.receipt_number)
    assert ReportReview.objects.get(notice=notice).state == "returned"

    page = open_page()
    sign_in(page, live_server.url, "company.jeju", password)
    row = page.locator("#returned-h ~ .table-wrap tr", has_text="Wang Fang")
    expect(row).to_contain_text("Attach the sale contract.")
    row = page.locator("#returned-notices-h ~ .table-wrap tr", has_text="Count the unit sold")
    expect(row.locator(".badge")).to_have_text("Returned for correction")

    badge = page.locator("header .inbox-link .badge")
    expect(badge).to_contain_text("2")
    page.locator("header .inbox-link").click()
    items = page.locator("li.inbox-item.unread")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("returned the monthly notice")
    expect(items.nth(1)).to_contain_text("Attach the sale contract.")
    items.nth(1).get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("header .inbox-link .badge")).to_contain_text("1")
    page.locator("header .inbox-link").click()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("li.inbox-item.unread")).to_have_count(0)
    expect(page.locator("header .inbox-link .badge")).to_have_count(0)


def test_queue_and_notifications_fit_phones_and_are_photographed(
    company, officer, password, open_page, live_server
):
    filed_report(company)
    a_submitted_notice(company)
    overflowing = {}
    for username, paths in (
        ("officer.jeju", ["/reviews/", "/reviews/?kind=notices", "/notifications/"]),
        ("company.jeju", ["/notifications/", "/dashboard/"]),
    ):
        for viewport in (PHONE, DESKTOP):
            page = open_page(locale="ko-KR", viewport=viewport)
            sign_in(page, live_server.url, username, password)
            for language in ("ko", "en"):
                use_language(page, language)
                for path in paths:
                    page.goto(path)
                    # open the return forms, so the picture shows them too
                    for summary in page.locator("details.return summary").all()[:1]:
                        summary.click()
                    name = re.sub(r"\W+", "-", path).strip("-")
                    shoot(page, language, f"review-{viewport['width']}-{username}-{name}")
                    if viewport is PHONE and (problem := page.evaluate(OVERFLOW)):
                        overflowing[f"{username} {language} {path}"] = problem
    assert overflowing == {}
