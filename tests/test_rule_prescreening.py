"""Issue 8, missing duties: pre-screening within 6 months (seed §6.C, §7.S(2)). Funds not invested
within ``prescreening_months`` (a rule setting, 6) of the pre-screening make it lapse; the
eligibility answer and the investor page say so. Through the public API and pages."""

from datetime import date

import pytest

from investments.rules.dates import months_after
from tests.factories import eligibility, jeju_investment

pytestmark = pytest.mark.django_db

# (case, payments (day, KRW, label), as_of, funds due by, lapsed, words of the reason) — a Jeju
# unit of KRW 1 billion (the zone's minimum on 2024-03-04, seed §6.J), pre-screened 2024-01-15.
CASES = [
    (
        "invested within 6 months (seed §6.C)",
        [(date(2024, 3, 4), 1_000_000_000, "final")],
        "2025-01-01",
        "2024-07-15",
        False,
        "invested within 6 months",
    ),
    (
        "the last day of the period counts (Civil Act arts. 157, 160)",
        [(date(2024, 3, 4), 100_000_000, "down"), (date(2024, 7, 15), 900_000_000, "final")],
        "2025-01-01",
        "2024-07-15",
        False,
        "invested within 6 months",
    ),
    (
        "short on the last day: lapsed (seed §7.S(2))",
        [(date(2024, 3, 4), 100_000_000, "down"), (date(2024, 7, 16), 900_000_000, "final")],
        "2025-01-01",
        "2024-07-15",
        True,
        "lapsed after 2024-07-15",
    ),
    (
        "still inside the period: not lapsed yet",
        [(date(2024, 3, 4), 100_000_000, "down")],
        "2024-05-01",
        "2024-07-15",
        False,
        "the rest due by 2024-07-15",
    ),
]


@pytest.mark.parametrize("case,payments,as_of,due_by,lapsed,words", CASES)
def test_the_eligibility_answer_says_whether_the_prescreening_lapsed(
    api, company, case, payments, as_of, due_by, lapsed, words
):
    investment = jeju_investment(company, prescreened_on=date(2024, 1, 15), payments=payments)
    answer = eligibility(api, company, investment.investor_id, as_of=as_of)
    assert answer["prescreening"] == [
        {
            "investment": investment.pk,
            "prescreened_on": "2024-01-15",
            "funds_due_by": due_by,
            "lapsed": lapsed,
        }
    ], case
    said = [r for r in answer["reasons"] if "pre-screen" in r["text"]]
    assert len(said) == 1 and words in said[0]["text"], (case, said)
    assert said[0]["source"] == "Immigration guideline §6.C, §7.S(2)"


def test_no_prescreening_no_line(api, company):
    investment = jeju_investment(company)
    response = api.as_user(company).get(
        f"/api/v1/investors/{investment.investor_id}/eligibility/", {"as_of": "2025-01-01"}
    )
    assert response.json()["prescreening"] == []


def test_the_investor_page_shows_the_lapse_in_korean(client, company):
    investment = jeju_investment(
        company,
        prescreened_on=date(2024, 1, 15),
        payments=[(date(2024, 3, 4), 100_000_000, "down")],
    )
    client.force_login(company)
    page = client.get(f"/investors/{investment.investor_id}/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "사전심사" in page.content.decode()
    assert "2024-07-15" in page.content.decode()


@pytest.mark.parametrize(
    "start,end",
    [
        (date(2024, 1, 15), date(2024, 7, 15)),  # art. 160(2): the corresponding day
        (date(2024, 8, 31), date(2025, 2, 28)),  # art. 160(3): no 31 February, the month's end
        (date(2023, 12, 31), date(2024, 6, 30)),
    ],
)
def test_six_months_end_on_the_corresponding_day(start, end):
    assert months_after(start, 6) == end
