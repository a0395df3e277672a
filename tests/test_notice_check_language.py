"""Issue 11 item 1, issue 8: a notice's reconciliation checks are stored as message ids with
their parameters and shown in the reader's language, amounts in the portal's KRW formatting,
whatever the language of the user who computed the notice (SPEC §5.2, seed §6.H: "every
recovery in the month has a withdrawal report").
"""

from datetime import date

import pytest
from django.utils import translation

from reporting import notices
from tests.factories import as_user, on, recovered, tourism_investment

pytestmark = pytest.mark.django_db

M = 1_000_000


@pytest.fixture
def unreported(company):
    """A Jeju unit paid KRW 100 million in March 2025, all recovered on 2025-03-10 with no
    withdrawal report filed (seed §6.H): the March notice warns of it."""
    investment = tourism_investment(
        company,
        contract_date=date(2025, 3, 3),
        amount=1_000 * M,
        payments=[(date(2025, 3, 3), 100 * M, "down")],
        name="Sato Kenji",
        nationality="JP",
        passport="TK1000002",
    )
    recovered(
        company,
        date(2025, 3, 10),
        investment=investment,
        amount_krw=100 * M,
        reason="contract_cancellation",
    )


def computed_in(language, company):
    with on(date(2025, 4, 2)), translation.override(language):
        return notices.compute_notice(
            by=company, program="tourism", period=notices.parse_month("2025-03")
        )


def warning_of(checks):
    (found,) = [c for c in checks if c["code"] == "recovery_without_report"]
    return found["text"]


# (language the notice is computed in, language it is read in, expected words)
CASES = [
    pytest.param(
        "ko", "en", ("Recovery #", "KRW 100,000,000", "not filed"), id="ko-computed-en-read"
    ),
    pytest.param("en", "ko", ("100,000,000원", "회수"), id="en-computed-ko-read"),
    pytest.param("ko", "ko", ("100,000,000원", "회수"), id="ko-computed-ko-read"),
    pytest.param("en", "en", ("KRW 100,000,000",), id="en-computed-en-read"),
]


@pytest.mark.parametrize("computed,read,words", CASES)
def test_api_renders_the_stored_check_in_the_readers_language(
    api, company, unreported, computed, read, words
):
    notice = computed_in(computed, company)
    stored = warning_of(notice.checks)
    assert "KRW 100,000,000" in stored  # stored: English text plus its message id
    assert notice.checks[-1]["why"]["m"].startswith("Recovery #%(pk)s")
    with on(date(2025, 4, 2)):
        response = api.as_user(company).get(
            f"/api/v1/monthly-notices/{notice.pk}/", HTTP_ACCEPT_LANGUAGE=read
        )
    assert response.status_code == 200, response.content
    text = warning_of(response.json()["checks"])
    for word in words:
        assert word in text, text
    assert "Sato Kenji" in text and "2025-03-10" in text
    assert "809" not in text and "amount_krw" not in text


def test_the_notice_page_shows_checks_in_the_readers_language(client, company, unreported):
    notice = computed_in("en", company)
    with on(date(2025, 4, 2)):
        korean = as_user(client, company, language="ko").get(f"/notices/{notice.pk}/")
    assert korean.status_code == 200
    page = korean.content.decode()
    assert "100,000,000원" in page and "KRW 100,000,000" not in page
    assert "its withdrawal report is not filed yet" not in page


def test_a_check_stored_before_message_ids_is_shown_as_stored():
    old = {"code": "breakdown_totals", "level": "error", "text": "as it was stored"}
    with translation.override("ko"):
        assert notices.check_text(old) == "as it was stored"
