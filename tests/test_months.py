"""Month arithmetic (``portal.months``) against a plain walk through the calendar."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal import months

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def walk(day, count):
    """``count`` months on from ``day``'s month, one day at a time."""
    month = day.replace(day=1)
    step = 1 if count >= 0 else -1
    for _ in range(abs(count)):
        month = (
            (month + timedelta(days=32)).replace(day=1)
            if step > 0
            else (month - timedelta(days=1)).replace(day=1)
        )
    return month


@given(DAYS, st.integers(min_value=-400, max_value=400))
def test_add_months_is_a_walk_through_the_calendar(day, count):
    assert months.add_months(day, count) == walk(day, count)


@given(DAYS, st.integers(min_value=0, max_value=150))
def test_a_range_holds_every_month_once_in_order(day, count):
    last = months.month_end(months.add_months(day, count))
    found = months.month_range(day, last)
    assert len(found) == count + 1
    assert found == [walk(day, n) for n in range(count + 1)]


def test_month_end_and_previous_month():
    assert months.month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert months.month_end(date(2025, 2, 1)) == date(2025, 2, 28)
    assert months.previous_month(date(2025, 1, 15)) == date(2024, 12, 1)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "0999-01", "2025-1", "2025-01-01", ""])
def test_parse_month_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError):
        months.parse_month(text)
    assert months.parse_month("2025-07") == date(2025, 7, 1)
