"""How R2 words its answer: the outcome of one of its tests with the reasons it gives, and the
small phrases every test uses (an investment's name, "holds X of the Y minimum"). Each reason is
a translatable message with its values (``facts.explained``), rendered in the reader's language
when shown."""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from .facts import InvestmentFacts, Reason, explained, phrase

RULE = "R2"


@dataclass(frozen=True)
class Outcome:
    """What one test answered: passed or not, the minimum it used, what it counted against it
    and why."""

    passed: bool
    minimum_krw: int | None = None
    held_krw: int = 0
    reasons: tuple[Reason, ...] = ()


def said(source: str, message: str, **params: object) -> Outcome:
    """A failed test whose reason is a translatable message (``facts.explained``)."""
    return Outcome(False, reasons=(explained(RULE, source, message, **params),))


def name_of(inv: InvestmentFacts) -> str | Reason:
    return inv.label or phrase(gettext_noop("investment %(id)s"), id=inv.id)


def held_of(held: int, need: int) -> Reason:
    """Both numbers, so the reader sees what is missing ('holds KRW 700,000,000 of the
    KRW 1,000,000,000 minimum') or that it is met."""
    values = {"held_krw": held, "need_krw": need}
    if held < need:
        return phrase(gettext_noop("holds %(held_krw)s of the %(need_krw)s"), **values)
    return phrase(gettext_noop("holds %(held_krw)s, meeting the %(need_krw)s"), **values)
