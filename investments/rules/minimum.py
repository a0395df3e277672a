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

from django.utils.translation import gettext_noop

from .facts import Period, Reason, Threshold, explained, phrase

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
        message = gettext_noop("%(prefix)sno minimum is in force on %(on)s")
        return None, [explained(RULE, "seed §6.J, §7.C", message, prefix=prefix, on=on)]
    # Overlapping rows are an editing slip (a new notice added without closing the old row).
    # The latest notice is what the ministry means; on a tie, the higher minimum, so that an
    # ambiguity never lowers the bar.
    chosen = max(matching, key=lambda t: (t.effective_from, t.minimum_krw))
    reasons = [
        explained(
            RULE,
            chosen.source,
            gettext_noop(
                "%(prefix)sminimum %(minimum_krw)s for an investment made on %(on)s "
                "(in force %(span)s)"
            ),
            prefix=prefix,
            minimum_krw=chosen.minimum_krw,
            on=on,
            span=_span(chosen.effective_from, chosen.effective_to),
        )
    ]
    if len(matching) > 1:
        others = tuple(
            phrase(
                gettext_noop("%(minimum_krw)s from %(on)s"),
                minimum_krw=t.minimum_krw,
                on=t.effective_from,
            )
            for t in matching
            if t is not chosen
        )
        message = gettext_noop(
            "%(prefix)s%(count)s minimum rows overlap on %(on)s (also %(others_list)s); "
            "the latest, from %(start)s, applies"
        )
        reasons.append(
            explained(
                RULE,
                "[decision] latest threshold wins",
                message,
                prefix=prefix,
                count=len(matching),
                on=on,
                others_list=others,
                start=chosen.effective_from,
            )
        )
    return chosen, reasons


def _period_on(periods: Sequence[Period], on: date, prefix: str) -> tuple[bool, Reason]:
    if not periods:
        message = gettext_noop("%(prefix)sno implementation period applies")
        return True, explained(RULE, "seed §7.C", message, prefix=prefix)
    inside = [p for p in periods if p.start <= on <= p.end]
    if inside:
        period = max(inside, key=lambda p: p.start)
        message = gettext_noop("%(prefix)s%(on)s is inside the implementation period %(span)s")
        span = _span(period.start, period.end)
        return True, explained(RULE, period.source, message, prefix=prefix, on=on, span=span)
    spans = tuple(_span(p.start, p.end) for p in sorted(periods, key=lambda p: p.start))
    message = gettext_noop(
        "%(prefix)s%(on)s is outside every implementation period (%(spans_list)s); "
        "an investment made then does not qualify"
    )
    return False, explained(RULE, "seed §6.J", message, prefix=prefix, on=on, spans_list=spans)


def _span(start: date, end: date | None) -> Reason:
    if end:
        return phrase("%(start)s – %(end)s", start=start, end=end)  # the same in every language
    return phrase(gettext_noop("%(start)s – open"), start=start)
