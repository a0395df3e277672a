"""Tests for statutory deadline rule R5 (seed §6.H; Civil Act arts. 157, 161).

Pure-function tests: no database, no settings. Holiday facts used in the table
cases were checked against ``holidays`` 0.109 (``country_holidays("KR",
language="en_US")``); the property tests check the rule against the package
directly, independently of ``HolidayCalendar``.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.deadlines import (
    Deadline,
    HolidayCalendar,
    monthly_notice_due,
    roll_forward,
    withdrawal_report_due,
)

DAYS = 14  # the guideline's period; passed in, as callers do from configuration
ENFORCED_ON = date(2023, 5, 1)
NO_ADJUSTMENTS = HolidayCalendar()


def d(text: str) -> date:
    return date.fromisoformat(text)


# --------------------------------------------------------------------------- table cases


def withdrawal(recovered, nominal, due, *, enforced_on=ENFORCED_ON, added=(), removed=()):
    """A withdrawal-report case: the recovery day, the 14th day (nominal) and the due date, with
    the guideline's enforcement date and the days the admin table adds or removes."""
    return recovered, enforced_on, added, removed, nominal, due


WITHDRAWAL_CASES = {
    "spec-example-1:seed§6.H:2025-10-03-foundation-day+chuseok+hangul-day": withdrawal(
        "2025-09-19", "2025-10-03", "2025-10-10"
    ),
    "spec-example-2:seed§6.H:2026-chuseok-thu-fri-sat+sunday": withdrawal(
        "2026-09-10", "2026-09-24", "2026-09-28"
    ),
    "art157:day-14-on-a-weekday-no-roll": withdrawal("2025-09-11", "2025-09-25", "2025-09-25"),
    "art161:saturday-to-monday": withdrawal("2025-10-18", "2025-11-01", "2025-11-03"),
    "art161:sunday-to-monday": withdrawal("2025-10-19", "2025-11-02", "2025-11-03"),
    "art161:friday-liberation-day-then-weekend": withdrawal(
        "2025-08-01", "2025-08-15", "2025-08-18"
    ),
    # art. 157 proviso: from 00:00 of 2023-05-01 the first day counts → Sunday 05-14
    "seed§6.H:recovered-before-enforcement-counts-from-2023-05-01": withdrawal(
        "2023-03-10", "2023-05-14", "2023-05-15"
    ),
    "seed§6.H:before-enforcement-then-art161-sunday+buddha-substitute": withdrawal(
        "2023-04-20", "2023-05-27", "2023-05-30", enforced_on=d("2023-05-14")
    ),
    "seed§6.H:recovered-on-enforcement-date-counts-normally": withdrawal(
        "2023-05-01", "2023-05-15", "2023-05-15"
    ),
    "art161:2026-10-02-friday-is-a-business-day-without-admin-table": withdrawal(
        "2026-09-18", "2026-10-02", "2026-10-02"
    ),
    "seed§6.H:admin-added-temporary-holiday-2026-10-02-moves-due-date": withdrawal(
        "2026-09-18", "2026-10-02", "2026-10-06", added=("2026-10-02",)
    ),
    "art161:2025-06-03-presidential-election-day-from-package": withdrawal(
        "2025-05-20", "2025-06-03", "2025-06-04"
    ),
    "seed§6.H:admin-removed-day-cancels-2025-06-03-holiday": withdrawal(
        "2025-05-20", "2025-06-03", "2025-06-03", removed=("2025-06-03",)
    ),
}


@pytest.mark.parametrize(
    ("recovered", "enforced_on", "added", "removed", "nominal", "due"),
    list(WITHDRAWAL_CASES.values()),
    ids=list(WITHDRAWAL_CASES),
)
def test_withdrawal_report_due(recovered, enforced_on, added, removed, nominal, due):
    calendar = HolidayCalendar(added=frozenset(map(d, added)), removed=frozenset(map(d, removed)))
    deadline = withdrawal_report_due(
        d(recovered), days=DAYS, enforced_on=enforced_on, calendar=calendar
    )
    assert deadline.nominal == d(nominal)
    assert deadline.due_on == d(due)
    assert deadline.rule == "R5"
    assert deadline.source == "seed §6.H; Civil Act arts. 157, 161"


# By id: (year, month, due day, nominal, due)
MONTHLY_CASES = {
    "spec-example-3:seed§6.H:2026-10-05-substitute-for-foundation-day": (
        2026,
        9,
        5,
        "2026-10-05",
        "2026-10-06",
    ),
    "seed§6.H:december-notice-due-january-of-next-year": (2026, 12, 5, "2027-01-05", "2027-01-05"),
    "art161:december-notice-2025-01-05-sunday-to-monday": (2024, 12, 5, "2025-01-05", "2025-01-06"),
    "art161:2025-chuseok-week-then-hangul-day": (2025, 9, 5, "2025-10-05", "2025-10-10"),
    "art161:due-day-28-saturday+independence-day-substitute": (
        2026,
        1,
        28,
        "2026-02-28",
        "2026-03-03",
    ),
}


@pytest.mark.parametrize(
    ("year", "month", "due_day", "nominal", "due"),
    list(MONTHLY_CASES.values()),
    ids=list(MONTHLY_CASES),
)
def test_monthly_notice_due(year, month, due_day, nominal, due):
    deadline = monthly_notice_due(year, month, due_day=due_day, calendar=NO_ADJUSTMENTS)
    assert deadline.nominal == d(nominal)
    assert deadline.due_on == d(due)
    assert deadline.rule == "R5"
    assert "seed §6.H" in deadline.source
    assert "Civil Act art. 161" in deadline.source


# --------------------------------------------------------------------------- explanations


def test_reasons_explain_each_skipped_day_and_the_roll():
    deadline = withdrawal_report_due(
        d("2025-09-19"), days=DAYS, enforced_on=ENFORCED_ON, calendar=NO_ADJUSTMENTS
    )
    assert deadline.reasons == (
        "Recovered on 2025-09-19",
        "Civil Act art. 157: the first day is not counted, so the period of 14 days "
        "from 2025-09-19 ends on 2025-10-03",
        "2025-10-03 is a public holiday (National Foundation Day)",
        "2025-10-04 is a Saturday",
        "2025-10-05 is a public holiday (The day preceding Chuseok)",
        "2025-10-06 is a public holiday (Chuseok)",
        "2025-10-07 is a public holiday (The second day of Chuseok)",
        "2025-10-08 is a public holiday (Alternative holiday for Chuseok)",
        "2025-10-09 is a public holiday (Hangul Day)",
        "Civil Act art. 161: moved to the next business day, 2025-10-10",
    )
    assert deadline.was_rolled


def test_reasons_mention_enforcement_date_and_no_adjustment():
    # enforced on a Tuesday: with its first day counted (art. 157 proviso) the 14 days end on
    # Monday 2023-05-15, a business day
    deadline = withdrawal_report_due(
        d("2023-03-10"), days=DAYS, enforced_on=d("2023-05-02"), calendar=NO_ADJUSTMENTS
    )
    assert "before the guideline took effect on 2023-05-02" in deadline.reasons[0]
    assert "art. 157 proviso" in deadline.reasons[1]
    assert deadline.reasons[-1] == "2023-05-15 is a business day, so no adjustment is needed"
    assert not deadline.was_rolled


def test_reasons_mention_added_and_removed_days():
    added = withdrawal_report_due(
        d("2026-09-18"),
        days=DAYS,
        enforced_on=ENFORCED_ON,
        calendar=HolidayCalendar(added=frozenset({d("2026-10-02")})),
    )
    assert "2026-10-02 is a public holiday (additional holiday from the admin table)" in (
        added.reasons
    )
    removed = withdrawal_report_due(
        d("2025-05-20"),
        days=DAYS,
        enforced_on=ENFORCED_ON,
        calendar=HolidayCalendar(removed=frozenset({d("2025-06-03")})),
    )
    assert any("admin table removed it" in reason for reason in removed.reasons)


# --------------------------------------------------------------------------- calendar


def test_calendar_queries():
    calendar = HolidayCalendar(
        added=frozenset({d("2026-10-02")}), removed=frozenset({d("2026-10-05")})
    )
    assert calendar.holiday_name(d("2026-10-03")) == "National Foundation Day"
    assert calendar.holiday_name(d("2026-10-02")) == "additional holiday from the admin table"
    assert calendar.holiday_name(d("2026-10-05")) is None  # removed wins
    assert calendar.holiday_name(d("2026-10-06")) is None
    assert calendar.is_holiday(d("2026-10-02"))
    assert not calendar.is_holiday(d("2026-10-05"))
    assert not calendar.is_business_day(d("2026-10-04"))  # Sunday
    assert calendar.is_business_day(d("2026-10-05"))
    assert roll_forward(d("2026-10-02"), calendar) == d("2026-10-05")
    assert roll_forward(d("2026-10-02"), NO_ADJUSTMENTS) == d("2026-10-02")
    assert roll_forward(d("2026-10-03"), NO_ADJUSTMENTS) == d("2026-10-06")


def test_removed_wins_over_added():
    day = d("2026-10-02")
    calendar = HolidayCalendar(added=frozenset({day}), removed=frozenset({day}))
    assert not calendar.is_holiday(day)


def test_calendar_accepts_plain_sets_and_stays_hashable():
    calendar = HolidayCalendar(added={d("2026-10-02")}, removed=[d("2026-10-05")])
    assert calendar.added == frozenset({d("2026-10-02")})
    assert calendar.removed == frozenset({d("2026-10-05")})
    assert hash(calendar) == hash(
        HolidayCalendar(added=frozenset({d("2026-10-02")}), removed=frozenset({d("2026-10-05")}))
    )


def test_value_objects_are_frozen():
    deadline = monthly_notice_due(2026, 9, due_day=5, calendar=NO_ADJUSTMENTS)
    assert isinstance(deadline, Deadline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due_on = d("2026-10-05")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        NO_ADJUSTMENTS.added = frozenset()  # type: ignore[misc]


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("days", [0, -1, True, 14.0, "14"], ids=repr)
def test_withdrawal_rejects_bad_days(days):
    with pytest.raises(ValueError, match="days must be a positive integer"):
        withdrawal_report_due(
            d("2025-09-19"), days=days, enforced_on=ENFORCED_ON, calendar=NO_ADJUSTMENTS
        )


@pytest.mark.parametrize("due_day", [0, 29, 31, -5], ids=repr)
def test_monthly_rejects_bad_due_day(due_day):
    with pytest.raises(ValueError, match="due_day must be an integer between 1 and 28"):
        monthly_notice_due(2026, 9, due_day=due_day, calendar=NO_ADJUSTMENTS)


@pytest.mark.parametrize("month", [0, 13, -1], ids=repr)
def test_monthly_rejects_bad_month(month):
    with pytest.raises(ValueError, match="period_month must be between 1 and 12"):
        monthly_notice_due(2026, month, due_day=5, calendar=NO_ADJUSTMENTS)


def test_datetimes_are_rejected():
    with pytest.raises(TypeError, match="recovered_on must be a datetime.date"):
        withdrawal_report_due(
            datetime(2025, 9, 19, 12, 0),
            days=DAYS,
            enforced_on=ENFORCED_ON,
            calendar=NO_ADJUSTMENTS,
        )
    with pytest.raises(TypeError, match="added day must be a datetime.date"):
        HolidayCalendar(added=frozenset({datetime(2025, 9, 19)}))


# --------------------------------------------------------------------------- properties

MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2035, 12, 31)
dates = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)


def _package_says_holiday(day: date) -> bool:
    """Oracle independent of HolidayCalendar: ask the package afresh."""
    return day in holidays.country_holidays("KR", years=day.year, language="en_US")


def _oracle_business_day(day: date, added: frozenset[date], removed: frozenset[date]) -> bool:
    if day.weekday() >= 5:
        return False
    if day in removed:
        return True
    return not (day in added or _package_says_holiday(day))


@st.composite
def calendars_near(draw, anchor: date) -> HolidayCalendar:
    """Random admin tables touching the days around ``anchor``, where they matter."""
    offsets = st.integers(min_value=-3, max_value=40)
    added = draw(st.frozensets(offsets, max_size=8))
    removed = draw(st.frozensets(offsets, max_size=4))
    return HolidayCalendar(
        added=frozenset(anchor + timedelta(days=n) for n in added),
        removed=frozenset(anchor + timedelta(days=n) for n in removed),
    )


def _assert_first_business_day_on_or_after(deadline: Deadline, calendar: HolidayCalendar):
    assert deadline.due_on >= deadline.nominal
    assert deadline.due_on.weekday() < 5
    assert _oracle_business_day(deadline.due_on, calendar.added, calendar.removed)
    assert calendar.is_business_day(deadline.due_on)
    day = deadline.nominal
    while day < deadline.due_on:
        assert not _oracle_business_day(day, calendar.added, calendar.removed), day
        day += timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(
    recovered_on=dates,
    enforced_on=dates,
    days=st.one_of(st.just(14), st.integers(min_value=1, max_value=90)),
    data=st.data(),
)
def test_withdrawal_due_is_first_business_day_on_or_after_period_end(
    recovered_on, enforced_on, days, data
):
    start = max(recovered_on, enforced_on)
    calendar = data.draw(
        st.one_of(st.just(NO_ADJUSTMENTS), calendars_near(start + timedelta(days=days)))
    )
    deadline = withdrawal_report_due(
        recovered_on, days=days, enforced_on=enforced_on, calendar=calendar
    )
    # art. 157: the recovery day is not counted; a period running from the enforcement date
    # begins at 00:00 and counts its first day (proviso)
    counted_first = recovered_on < enforced_on
    assert deadline.nominal == start + timedelta(days=days - counted_first)
    assert deadline.due_on >= recovered_on + timedelta(days=days)
    _assert_first_business_day_on_or_after(deadline, calendar)
    assert deadline.reasons  # always explained


@settings(max_examples=200, deadline=None)
@given(
    year=st.integers(min_value=MIN_DATE.year, max_value=MAX_DATE.year),
    month=st.integers(min_value=1, max_value=12),
    due_day=st.one_of(st.just(5), st.integers(min_value=1, max_value=28)),
    data=st.data(),
)
def test_monthly_notice_due_is_first_business_day_on_or_after_due_day(year, month, due_day, data):
    next_month = date(year + month // 12, month % 12 + 1, due_day)
    calendar = data.draw(st.one_of(st.just(NO_ADJUSTMENTS), calendars_near(next_month)))
    deadline = monthly_notice_due(year, month, due_day=due_day, calendar=calendar)
    assert deadline.nominal == next_month
    _assert_first_business_day_on_or_after(deadline, calendar)
