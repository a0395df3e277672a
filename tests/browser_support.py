"""Fixtures and helpers of the browser tests (tests/test_browser.py, tests/test_accessibility.py):
launching Debian's Chromium through Playwright, signing in and out through the forms as a person
would, switching the language with the header's selector, saving screenshots, and watching a
page for errors. The fixtures are a plugin of tests/conftest.py; a browser test module marks
itself ``usefixtures("reference_rows")`` and asks for ``open_page``.

Playwright drives the system's Chromium (``CHROMIUM_PATH``, default ``/usr/bin/chromium``),
never a browser downloaded by ``playwright install``: CI installs the Debian package with the
Nanum fonts, so Hangul renders in the screenshots."""

import os
import re
from pathlib import Path

import pytest

from tests import factories

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    expect = sync_playwright = None

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HANGUL = re.compile(r"[가-힣]")
#: Requests whose failure is not the page's fault (the browser asks for a favicon by itself).
IGNORED_URLS = ("/favicon.ico",)
#: Console messages of known defects reported to the page's owner, not failures of a flow:
#: the letter preview frame is sandboxed without scripts, so the letter's "Print" button
#: (``onclick``, templates/reporting/withdrawal_letter.html) is blocked there.
KNOWN_CONSOLE = ("Blocked script execution in 'about:srcdoc'",)


class Watch:
    """Everything a page did wrong while open: script errors, console errors, HTTP 4xx/5xx
    answers (a 400 of a refused form is expected: ``allow`` it by path)."""

    def __init__(self, page):
        self.problems = []
        self.allowed = set()
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def allow(self, path):
        self.allowed.add(path)

    def _console(self, message):
        # A failed load is counted once, by ``_response``, which knows what is allowed.
        text = message.text
        if message.type == "error" and not text.startswith(("Failed to load", *KNOWN_CONSOLE)):
            self.problems.append(f"console: {text}")

    def _response(self, response):
        path = re.sub(r"^https?://[^/]+", "", response.url).split("?")[0]
        if response.status >= 400 and path not in IGNORED_URLS and path not in self.allowed:
            self.problems.append(f"HTTP {response.status} {path}")


def sign_in(page, base_url, username, password):
    """Through the login form with the keyboard: type, then Enter."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url("**/accounts/login/")


def use_language(page, code):
    """Choose a language in the header's selector (it submits itself) and wait for the page."""
    if page.locator("html").get_attribute("lang") == code:
        return
    with page.expect_navigation():
        page.locator("select[name='language']").select_option(code)
    page.wait_for_selector(f"html[lang='{code}']")


def shoot(page, language, name):
    """A full-page screenshot at test-artifacts/screenshots/<language>/<name>.png."""
    path = SCREENSHOTS / language / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def jeju_investment(company, *, name, passport, contract_date, amount=1_000_000_000):
    """A fully paid Jeju condominium unit of company.jeju's client, through the services."""
    return factories.jeju_investment(
        company,
        name=name,
        passport=passport,
        contract_date=contract_date,
        amount=amount,
        unit_number=f"A-{passport[-4:]}",
    )


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread, and Django refuses
    database calls from a thread with a running loop unless told it is safe: it is, the loop
    only drives the browser. Set for this module only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def reference_rows(orm_beside_playwright, committing):
    """Each test starts with the reference data (the previous test's flush emptied it) and the
    module puts it back for later tests: conftest's ``committing``, with the ORM allowed beside
    Playwright's event loop first."""


@pytest.fixture(scope="module")
def browser(orm_beside_playwright):
    """Debian's Chromium, once per module; skipped without it, a failure in CI."""
    missing = None
    if sync_playwright is None:
        missing = "the playwright package is not installed (pip install -e .[test])"
    elif not os.path.exists(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(locale)``: a fresh page (its own cookies) on the live server, watched for
    errors; at the end of the test no page may have had any."""
    contexts, watches = [], []

    def open_page(locale="en-US", viewport=DESKTOP):
        context = browser.new_context(locale=locale, viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.watch = Watch(page)
        watches.append(page.watch)
        return page

    yield open_page
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, problems
