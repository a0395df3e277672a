"""R1: the minimum investment in force on a date, and whether that date is inside an
implementation period (SPEC §4 R1).

Minimums change by ministry notice, so they are dated rows rather than constants: the notice
for Jeongdongjin reads "KRW 700 million or more (KRW 500 million or more for investments before
January 31, 2021)" (seed §6.J 1.b). We read "before DATE" as "on or before DATE", the last day of
the original period, and the shipped rows already encode it with inclusive bounds.

Callers pass the CONTRACT date: an investment made inside a period keeps the minimum and the
period of that day even after the period closes or a later notice raises the minimum.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .facts import Period, Reason, Threshold

RULE = "R1"


@dataclass(frozen=True)
class MinimumResult:
    """The minimum for one zone or program and track on one date.

    ``minimum_krw`` is None when no row covers the date; ``in_period`` is True when no periods
    were given (public-interest programs have none) or the date lies inside one of them."""

    minimum_krw: int | None
    in_period: bool
    threshold: Threshold | None
    reasons: tuple[Reason, ...]


def minimum(
    thresholds: Sequence[Threshold],
    on: date,
    *,
    periods: Sequence[Period] = (),
    label: str = "",
) -> MinimumResult:
    """The threshold in force on ``on`` and whether ``on`` is inside an implementation period.

    ``periods=()`` means "no period check" and gives ``in_period`` True. ``label`` (a zone or
    program name) only prefixes the reason texts."""
    prefix = f"{label}: " if label else ""
    threshold, reasons = _threshold_on(thresholds, on, prefix)
    in_period, period_reason = _period_on(periods, on, prefix)
    return MinimumResult(
        minimum_krw=threshold.minimum_krw if threshold else None,
        in_period=in_period,
        threshold=threshold,
        reasons=(*reasons, period_reason),
    )


def covers(threshold: Threshold, on: date) -> bool:
    """Whether ``on`` lies within the threshold's inclusive bounds (open end = still in force)."""
    return threshold.effective_from <= on and (
        threshold.effective_to is None or on <= threshold.effective_to
    )


def _threshold_on(
    thresholds: Sequence[Threshold], on: date, prefix: str
) -> tuple[Threshold | None, list[Reason]]:
    matching = [t for t in thresholds if covers(t, on)]
    if not matching:
        return None, [Reason(RULE, f"{prefix}no minimum is in force on {on}", "seed §6.J, §7.C")]
    # Overlapping rows are an editing slip (a new notice added without closing the old row).
    # The latest notice is what the ministry means; on a tie, the higher minimum, so that an
    # ambiguity never lowers the bar.
    chosen = max(matching, key=lambda t: (t.effective_from, t.minimum_krw))
    reasons = [
        Reason(
            RULE,
            f"{prefix}minimum {_krw(chosen.minimum_krw)} for an investment made on {on} "
            f"(in force {_span(chosen.effective_from, chosen.effective_to)})",
            chosen.source,
        )
    ]
    if len(matching) > 1:
        others = ", ".join(
            f"{_krw(t.minimum_krw)} from {t.effective_from}" for t in matching if t is not chosen
        )
        reasons.append(
            Reason(
                RULE,
                f"{prefix}{len(matching)} minimum rows overlap on {on} (also {others}); "
                f"the latest, from {chosen.effective_from}, applies",
                "[decision] latest threshold wins",
            )
        )
    return chosen, reasons


def _period_on(periods: Sequence[Period], on: date, prefix: str) -> tuple[bool, Reason]:
    if not periods:
        return True, Reason(RULE, f"{prefix}no implementation period applies", "seed §7.C")
    inside = [p for p in periods if p.start <= on <= p.end]
    if inside:
        period = max(inside, key=lambda p: p.start)
        return True, Reason(
            RULE,
            f"{prefix}{on} is inside the implementation period {_span(period.start, period.end)}",
            period.source,
        )
    spans = ", ".join(_span(p.start, p.end) for p in sorted(periods, key=lambda p: p.start))
    return False, Reason(
        RULE,
        f"{prefix}{on} is outside every implementation period ({spans}); "
        "an investment made then does not qualify",
        "seed §6.J",
    )


def _span(start: date, end: date | None) -> str:
    return f"{start} – {end if end else 'open'}"


def _krw(amount: int) -> str:
    return f"KRW {amount:,}"
