"""Statutory deadline rule R5 (seed §6.H; Civil Act arts. 157, 161).

Two reporting deadlines in the immigrant-investor programs are computed here:

* the withdrawal report, due a number of days after the investment was recovered;
* the monthly notice, due on a fixed day of the month after the reporting month.

Both follow the Korean Civil Act:

* art. 157 - when a period is counted in days, the first day is not counted, so
  "N days after day X" is simply ``X + N``;
* art. 161 - when the last day of a period falls on a Saturday, a Sunday or a public
  holiday, the period ends on the next day that is none of them.

The module is deliberately pure: no ORM, no settings, no clock. Everything that
varies (the number of days, the enforcement date of the guideline, the due day of
the month, the admin table of added/removed holidays) is passed in, so the rule can
be tested exhaustively and reused by views, tasks and exports alike.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays
from django.utils.translation import gettext_noop

from investments.rules.facts import Reason, explained

__all__ = [
    "Deadline",
    "HolidayCalendar",
    "monthly_notice_due",
    "roll_forward",
    "withdrawal_report_due",
]

RULE = "R5"
WITHDRAWAL_SOURCE = "seed §6.H; Civil Act arts. 157, 161"
# A fixed calendar day is not a period counted in days, so art. 157 has nothing to
# say about it; only the art. 161 roll-forward applies.
MONTHLY_NOTICE_SOURCE = "seed §6.H; Civil Act art. 161"

_ONE_DAY = timedelta(days=1)
_SATURDAY, _SUNDAY = 5, 6


@functools.cache  # per-year; see docstring
def _package_holidays(year: int) -> Mapping[date, str]:
    """Public holidays of Korea for ``year`` from the ``holidays`` package.

    Cached per year because building the package's calendar (lunar conversions,
    substitute-holiday rules) dominates the cost of a due-date computation; with the
    cache, computing 100k due dates costs little more than the date arithmetic.
    The language is passed explicitly so names do not depend on the process locale.
    A read-only copy is returned so that no caller can mutate the shared cache.
    """
    calendar = holidays.country_holidays("KR", years=year, language="en_US")
    return MappingProxyType(dict(calendar))


def _require_date(value: object, name: str) -> date:
    """Reject non-dates, and datetimes (which would silently never match a holiday)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def _iso(day: date) -> str:
    return day.isoformat()


@dataclass(frozen=True)
class HolidayCalendar:
    """Korean public holidays, corrected by the admin table (seed §6.H).

    The ``holidays`` package already knows the statutory holidays, substitute
    holidays and most one-off days, but the government also declares temporary
    holidays and election days at short notice, and the package may be wrong or
    late. Administrators therefore keep a table of ``added`` days (treated as
    holidays) and ``removed`` days (never treated as holidays). When a day is in
    both, ``removed`` wins: it is the more deliberate correction.
    """

    added: frozenset[date] = field(default_factory=frozenset)
    removed: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable of dates (a set, a list from a queryset) but store a
        # frozenset so the calendar stays hashable and immutable.
        for name in ("added", "removed"):
            days = frozenset(getattr(self, name))
            for day in days:
                _require_date(day, f"{name} day")
            object.__setattr__(self, name, days)

    def holiday_name(self, day: date) -> str | None:
        """Name of the holiday on ``day`` (for explanations), or None if none."""
        if day in self.removed:
            return None
        name = _package_holidays(day.year).get(day)
        if name is not None:
            return name
        if day in self.added:
            return "additional holiday from the admin table"
        return None

    def is_holiday(self, day: date) -> bool:
        """A package or added holiday that the admin table has not removed."""
        if day in self.removed:
            return False
        return day in self.added or day in _package_holidays(day.year)

    def is_business_day(self, day: date) -> bool:
        """Neither a Saturday, a Sunday nor a holiday (Civil Act art. 161)."""
        return day.weekday() not in (_SATURDAY, _SUNDAY) and not self.is_holiday(day)

    def why_not_business_day(self, day: date) -> str | None:
        """Human-readable reason ``day`` is not a business day, or None if it is."""
        why = self.not_business_day(day)
        return why.text if why else None

    def not_business_day(self, day: date) -> Reason | None:
        """Why ``day`` is not a business day (a translatable reason), or None if it is."""
        name = self.holiday_name(day)
        if name is not None:
            message = gettext_noop("%(day)s is a public holiday (%(name)s)")
            return explained(RULE, "Civil Act art. 161", message, day=_iso(day), name=name)
        if day.weekday() == _SATURDAY:
            message = gettext_noop("%(day)s is a Saturday")
            return explained(RULE, "Civil Act art. 161", message, day=_iso(day))
        if day.weekday() == _SUNDAY:
            message = gettext_noop("%(day)s is a Sunday")
            return explained(RULE, "Civil Act art. 161", message, day=_iso(day))
        return None


def roll_forward(day: date, calendar: HolidayCalendar) -> date:
    """``day`` if it is a business day, else the next business day (Civil Act art. 161)."""
    _require_date(day, "day")
    while not calendar.is_business_day(day):
        day += _ONE_DAY
    return day


@dataclass(frozen=True)
class Deadline:
    """A computed due date together with the reasoning behind it.

    ``nominal`` is the last day of the period before art. 161 is applied and
    ``due_on`` the day after applying it; ``steps`` explains every step as translatable
    reasons (``facts.explained``) so the portal can show investors and officers why a date
    was chosen in their language; ``reasons`` is their plain English.
    """

    due_on: date
    nominal: date
    steps: tuple[Reason, ...]
    rule: str = RULE
    source: str = WITHDRAWAL_SOURCE

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(step.text for step in self.steps)

    @property
    def was_rolled(self) -> bool:
        return self.due_on != self.nominal


def _rolled(
    nominal: date, calendar: HolidayCalendar, source: str, reasons: list[Reason]
) -> Deadline:
    """The deadline ``nominal`` moved by art. 161 to a business day: its steps are ``reasons``
    (how the nominal day was reached), then why each skipped day was skipped."""
    reasons = list(reasons)
    day = nominal
    while (why := calendar.not_business_day(day)) is not None:
        reasons.append(why)
        day += _ONE_DAY
    art_161 = "Civil Act art. 161"
    if day == nominal:
        package_name = _package_holidays(day.year).get(day)
        if package_name is not None and day in calendar.removed:
            message = gettext_noop(
                "%(day)s would be a public holiday (%(name)s) but the admin table removed it"
            )
            reasons.append(explained(RULE, art_161, message, day=_iso(day), name=package_name))
        message = gettext_noop("%(day)s is a business day, so no adjustment is needed")
        reasons.append(explained(RULE, art_161, message, day=_iso(day)))
    else:
        message = gettext_noop("Civil Act art. 161: moved to the next business day, %(day)s")
        reasons.append(explained(RULE, art_161, message, day=_iso(day)))
    return Deadline(due_on=day, nominal=nominal, steps=tuple(reasons), source=source)


def withdrawal_report_due(
    recovered_on: date,
    *,
    days: int,
    enforced_on: date,
    calendar: HolidayCalendar,
) -> Deadline:
    """Due date of the withdrawal report for an investment recovered on ``recovered_on``.

    The report is due ``days`` days after recovery, the recovery day itself not
    counted (Civil Act art. 157), rolled forward past weekends and holidays
    (art. 161). A recovery before the guideline's enforcement date could not have
    been reported under it, so its period runs from ``enforced_on`` instead
    (seed §6.H); that period begins at 00:00, so its first day counts (art. 157 proviso).
    ``days`` comes from the caller's configuration rather than a
    constant here, because the guideline, not this module, owns that number.
    """
    _require_date(recovered_on, "recovered_on")
    _require_date(enforced_on, "enforced_on")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a positive integer, got {days!r}")

    reasons: list[Reason] = []
    source = WITHDRAWAL_SOURCE
    if recovered_on < enforced_on:
        # The period runs from the enforcement date, which begins at 00:00: by the proviso of
        # art. 157 its first day is counted, so it ends on day ``days`` counting that day.
        start = enforced_on
        nominal = start + timedelta(days=days - 1)
        message = gettext_noop(
            "Recovered on %(on)s, before the guideline took effect on %(start)s; the period "
            "runs from the enforcement date instead"
        )
        reasons.append(
            explained(RULE, source, message, on=_iso(recovered_on), start=_iso(enforced_on))
        )
        message = (
            gettext_noop(
                "Civil Act art. 157 proviso: a period starting at 00:00 counts its first day, "
                "so the period of %(days)s day from %(start)s ends on %(end)s"
            )
            if days == 1
            else gettext_noop(
                "Civil Act art. 157 proviso: a period starting at 00:00 counts its first day, "
                "so the period of %(days)s days from %(start)s ends on %(end)s"
            )
        )
    else:
        start = recovered_on
        nominal = start + timedelta(days=days)
        message = gettext_noop("Recovered on %(on)s")
        reasons.append(explained(RULE, source, message, on=_iso(recovered_on)))
        message = (
            gettext_noop(
                "Civil Act art. 157: the first day is not counted, so the period of %(days)s "
                "day from %(start)s ends on %(end)s"
            )
            if days == 1
            else gettext_noop(
                "Civil Act art. 157: the first day is not counted, so the period of %(days)s "
                "days from %(start)s ends on %(end)s"
            )
        )
    values = {"days": days, "start": _iso(start), "end": _iso(nominal)}
    reasons.append(explained(RULE, source, message, **values))
    return _rolled(nominal, calendar, source, reasons)


def monthly_notice_due(
    period_year: int,
    period_month: int,
    *,
    due_day: int,
    calendar: HolidayCalendar,
) -> Deadline:
    """Due date of the monthly notice for the reporting month ``period_year-period_month``.

    The notice is due on day ``due_day`` of the following month (December rolls into
    January of the next year), moved to the next business day if that day is a
    Saturday, Sunday or holiday (Civil Act art. 161; seed §6.H). ``due_day`` is capped
    at 28 so that it exists in every month, February included.
    """
    if isinstance(period_month, bool) or not isinstance(period_month, int):
        raise ValueError(f"period_month must be an integer, got {period_month!r}")
    if not 1 <= period_month <= 12:
        raise ValueError(f"period_month must be between 1 and 12, got {period_month}")
    if isinstance(due_day, bool) or not isinstance(due_day, int) or not 1 <= due_day <= 28:
        raise ValueError(f"due_day must be an integer between 1 and 28, got {due_day!r}")
    if isinstance(period_year, bool) or not isinstance(period_year, int):
        raise ValueError(f"period_year must be an integer, got {period_year!r}")
    if not date.min.year <= period_year < date.max.year:
        raise ValueError(f"period_year is out of range: {period_year}")

    next_year, next_month = divmod(period_year * 12 + period_month, 12)
    nominal = date(next_year, next_month + 1, due_day)
    message = gettext_noop(
        "The notice for %(month)s is due on day %(day)s of the following month, %(on)s"
    )
    month = f"{period_year:04d}-{period_month:02d}"
    values = {"month": month, "day": due_day, "on": _iso(nominal)}
    reasons = [explained(RULE, MONTHLY_NOTICE_SOURCE, message, **values)]
    return _rolled(nominal, calendar, MONTHLY_NOTICE_SOURCE, reasons)
