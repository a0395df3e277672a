"""Issue 8, explanations: the F-5 pipeline's stored "why" (``EligibilityFact.risk_detail`` of a
stalled person) is kept as the clock's message id and parameters and rendered in the reader's
language when read, never as English computed once (seed §6.A: a recovery below the minimum
stops the clock; docs/rules.md "Explanations").

Cases run through the ledger and reporting services, the stored facts and the pipeline.
"""

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from investments import services as ledger
from investments.rules import facts
from reporting import eligibility_store, pipeline
from reporting.models import EligibilityFact
from tests.factories import jeju_investment, recovered

pytestmark = pytest.mark.django_db

M = 1_000_000
KOREA = ZoneInfo("Asia/Seoul")
TODAY = date(2025, 2, 15)


@pytest.fixture
def stalled(company, officer):
    """Seed §6.A: KRW 500 million in Jeju (2020), F-2-8 from 2020-04-01, KRW 50 million
    recovered on 2025-02-03: below the minimum, the clock stops."""
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=KOREA), tick=False):
        investment = jeju_investment(company, contract_date=date(2020, 3, 2), amount=500 * M)
        ledger.grant_status(
            by=officer, investor=investment.investor, code="F-2-8", granted_on=date(2020, 4, 1)
        )
        recovered(company, date(2025, 2, 3), investment=investment, amount_krw=50 * M)
        eligibility_store.refresh_stale()
    return EligibilityFact.objects.get(person_id=investment.investor.person_id)


def test_the_stored_why_is_a_message_id_with_parameters(stalled):
    assert stalled.risk_kind == "stalled"
    data = json.loads(stalled.risk_detail)
    assert data["m"].startswith("Not on track")  # the message id, not a rendered sentence
    assert "KRW" not in stalled.risk_detail  # amounts kept as numbers, formatted when read


# (language, words that must appear, words that must not): seed §6.A, rendered when read
CASES = [
    pytest.param("en", ["Not on track", "KRW 50,000,000"], ["추적"], id="english-page"),
    pytest.param("ko", ["50,000,000원"], ["Not on track", "recovery"], id="korean-page"),
]


@pytest.mark.parametrize("language,present,absent", CASES)
def test_the_pipeline_says_why_in_the_readers_language(stalled, language, present, absent):
    row = {"risk_kind": stalled.risk_kind, "risk_detail": stalled.risk_detail}
    with translation.override(language):
        text = pipeline.why(row)
    assert all(word in text for word in present), text
    assert not any(word in text for word in absent), text


def test_a_reason_round_trips_through_its_stored_data():
    """Nested phrases, lists, dates and amounts read back as they were written."""
    inner = facts.phrase("recovery of %(amount_krw)s on %(on)s", amount_krw=5 * M, on=TODAY)
    reason = facts.explained(
        "R4", "seed §6.A", "%(cause)s; %(names)s", cause=inner, names=("A-1", "B-2")
    )
    back = facts.from_data(json.loads(json.dumps(facts.to_data(reason))))
    assert back.text == reason.text == "recovery of KRW 5,000,000 on 2025-02-15; A-1, B-2"
    assert back.message == reason.message


def test_english_text_stored_before_this_change_is_still_shown(stalled):
    row = {"risk_kind": "stalled", "risk_detail": "Not on track: an older stored sentence"}
    assert pipeline.why(row) == "Not on track: an older stored sentence"
