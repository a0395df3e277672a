"""Date arithmetic of the Civil Act that several rules share."""

from datetime import date, timedelta


def anniversary(start: date, years: int) -> date:
    """The day corresponding to ``start`` ``years`` later (Civil Act art. 160(2)).

    Where that day does not exist (29 February in a common year), the period ends on the last
    day of the month (art. 160(3)), so the "anniversary" from which the next period runs is
    1 March."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def period_end(start: date, years: int) -> date:
    """Last day of a period of ``years`` years counted from ``start`` inclusive: the day
    before the anniversary. 2020-03-10 + 5 years → 2025-03-09; 2020-02-29 → 2025-02-28."""
    return anniversary(start, years) - timedelta(days=1)


def days_in_years(start: date, years: int) -> int:
    """How many days ``years`` years from ``start`` hold: 1826 or 1827 for five years."""
    return (anniversary(start, years) - start).days


def months_after(start: date, months: int) -> date:
    """Last day of a period of ``months`` months from an event on ``start``: the first day is
    not counted (Civil Act art. 157), so the period ends on the day corresponding to ``start``
    (art. 160(2)), or on the last day of that month when it has no such day (art. 160(3)).
    2024-01-15 + 6 months → 2024-07-15; 2024-08-31 + 6 months → 2025-02-28."""
    index = start.year * 12 + start.month - 1 + months
    year, month = index // 12, index % 12 + 1
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return min(
        date(year, month, 1) + timedelta(days=start.day - 1), first_of_next - timedelta(days=1)
    )
