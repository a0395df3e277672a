"""Calendar months, written as the date of their first day (the notices' ``period``, chart
and statistics axes). One place for the arithmetic so that no caller counts months by hand."""

import re
from calendar import monthrange
from datetime import date

MONTH = re.compile(r"([1-9][0-9]{3})-(0[1-9]|1[0-2])")


def parse_month(text: str) -> date:
    """``"YYYY-MM"`` → the month's first day; ``ValueError`` for anything else."""
    match = MONTH.fullmatch(str(text))
    if match is None:
        raise ValueError(f"not a month written YYYY-MM: {text!r}")
    return date(int(match[1]), int(match[2]), 1)


def add_months(day: date, count: int) -> date:
    """The first day of the month ``count`` months after (or, negative, before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s: the month that has just ended."""
    return add_months(day, -1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def month_range(first: date, last: date) -> list[date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, n) for n in range(max(count, 0))]
