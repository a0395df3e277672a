"""Pages a machine can check for people who cannot see them or hold them in a hand (issue 11,
items 6 and 8): axe-core (shipped by axe-playwright-python) runs on every page type of every
role, at desktop and phone widths, and any serious or critical violation fails; and at 390 px
no page is wider than the screen.

The pages are those the header offers each role, the role's investor page, a ledger form and
the search results, so a page added to the navigation is checked without editing this file.
"""

import pytest
from browser_support import DESKTOP, PHONE, shoot, sign_in, use_language

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - the test extras install it
    Axe = None

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_rows")]

ROLES = ["company.jeju", "kdb", "officer.jeju", "hq"]
#: What fails a page; "moderate" and "minor" findings are advice, reported by axe's own tools.
BLOCKING = {"serious", "critical"}

# --- phone widths --------------------------------------------------------------------------

#: The widest element of a page when it overflows, for a readable failure.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1
      && !el.closest('.table-wrap, .clock-scroll, .chart-scroll'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


def main_pages(page):
    """The pages the header's navigation offers a role, less the admin and the API docs."""
    hrefs = page.locator("header.top nav a").evaluate_all("links => links.map(a => a.pathname)")
    return [href for href in hrefs if not href.startswith(("/admin", "/api"))]


@pytest.mark.parametrize("username", ["company.jeju", "kdb", "officer.jeju", "hq"])
def test_no_page_is_wider_than_a_phone(
    username, accounts, password, jeju_ledger, kdb_ledger, open_page, live_server
):
    """At 390 px every main page of every role fits the screen: tables scroll inside their
    frame, nothing else makes the page scroll sideways (issue 11). Each page is saved as a
    screenshot (``phone-<role>-<page>``) for people to look at."""
    page = open_page(locale="ko-KR", viewport=PHONE)
    sign_in(page, live_server.url, username, password)
    paths = main_pages(page)
    investor = {"company.jeju": jeju_ledger, "kdb": kdb_ledger}.get(username, jeju_ledger)
    if username != "hq":
        paths.append(f"/investors/{investor.investor.pk}/")
    paths.append("/notifications/")  # in the header, outside the navigation
    overflowing = {}
    for language in ("ko", "en"):
        use_language(page, language)
        for path in paths:
            page.goto(path)
            problem = page.evaluate(OVERFLOW)
            shoot(page, language, f"phone-{username}{path.rstrip('/').replace('/', '-')}")
            if problem:
                overflowing[f"{language} {path}"] = problem
    assert overflowing == {}


#: What of the header does not fit a phone: anything past the screen's right edge, and any
#: navigation link broken over two lines.
HEADER_MISFITS = """() => {
  const width = window.innerWidth;
  const header = document.querySelector('header.top');
  const past = [...header.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  const broken = [...header.querySelectorAll('nav a')]
    .filter(a => a.getClientRects().length > 1)
    .map(a => a.textContent.trim());
  return {past: past.slice(0, 5), broken, height: header.getBoundingClientRect().height};
}"""
#: The share of a phone's screen the header may take: beside the name, the navigation was a
#: column of links as tall as half the screen, before any of the page showed.
HEADER_SHARE = 0.3


@pytest.mark.parametrize("username", ROLES)
def test_the_header_fits_a_phone(username, accounts, password, open_page, live_server):
    """At 390 px, in Korean and in English, the header is no wider than the screen, no link
    of its navigation breaks over two lines, and it leaves most of the screen to the page."""
    page = open_page(locale="ko-KR", viewport=PHONE)
    sign_in(page, live_server.url, username, password)
    misfits = {}
    for language in ("ko", "en"):
        use_language(page, language)
        found = page.evaluate(HEADER_MISFITS)
        if found["past"] or found["broken"] or found["height"] > HEADER_SHARE * PHONE["height"]:
            misfits[language] = found
        shoot(page, language, f"phone-header-{username}")
    assert misfits == {}


def pages_of(page, username, jeju_ledger, kdb_ledger):
    ledger = {"company.jeju": jeju_ledger, "kdb": kdb_ledger}.get(username, jeju_ledger)
    paths = main_pages(page)
    if username != "hq":
        paths.append(f"/investors/{ledger.investor.pk}/")
    if username in ("company.jeju", "kdb"):
        paths.append(f"/investments/{ledger.investment.pk}/payment/")
    paths.append("/notifications/")  # in the header, outside the navigation
    return paths


def violations(axe, page):
    found = axe.run(page).response["violations"]
    return sorted(
        f"{v['impact']} {v['id']}: {node['target']}"
        for v in found
        if v["impact"] in BLOCKING
        for node in v["nodes"][:3]
    )


@pytest.mark.parametrize("username", ROLES)
def test_axe_finds_no_serious_violation(
    username, accounts, password, jeju_ledger, kdb_ledger, open_page, live_server
):
    if Axe is None:
        pytest.skip("axe-playwright-python is not installed (pip install -e .[test])")
    axe = Axe()
    page = open_page(locale="ko-KR", viewport=DESKTOP)
    sign_in(page, live_server.url, username, password)
    paths = pages_of(page, username, jeju_ledger, kdb_ledger)
    found = {}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(path)
            problems = violations(axe, page)
            if problems:
                found[f"{viewport['width']} {path}"] = problems
        # the search results, posted from the header's box
        page.locator("#search-q").fill("Wang")
        with page.expect_navigation():
            page.locator("#search-q").press("Enter")
        if problems := violations(axe, page):
            found[f"{viewport['width']} /search/"] = problems
    assert found == {}
