"""Money: a whole number of KRW, never a float. Parsed once, validated once, formatted once,
for every door a sum comes in by (API, forms, spreadsheet cells, services) and every place one
is shown (pages, letters, messages)."""

import re

from django.utils.translation import gettext_lazy as _

from portal.names import reads_korean

#: Larger than any investment could be; an amount above it is a typing error.
MAX_KRW = 10**15

INVALID = _("Enter a whole number of KRW (no decimals, no separators).")
NOT_POSITIVE = _("The amount must be greater than zero.")
TOO_LARGE = _("The amount is larger than any investment could be.")

SEPARATORS = re.compile(r"[,\s_]")


class MoneyError(ValueError):
    """An amount that is not a whole, positive, plausible number of KRW; ``message`` says why
    in the reader's language."""

    def __init__(self, message: object) -> None:
        # Rendered now, in the language of the request or command that raised it.
        self.message = str(message)
        super().__init__(self.message)


def to_krw(value: object, *, separators: bool = False, whole_floats: bool = False) -> int:
    """``value`` as an ``int``, or ``MoneyError``; its sign and size are ``check_krw``'s
    business. Strings must be ASCII digits with an optional minus (``separators`` also allows
    "1,000,000" as people type it); floats are refused unless ``whole_floats`` (a spreadsheet
    stores every number as one) and the float is whole; booleans are never numbers."""
    if isinstance(value, str):
        text = SEPARATORS.sub("", value) if separators else value.strip()
        digits = text.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):
            raise MoneyError(INVALID)
        value = int(text)
    elif isinstance(value, float) and whole_floats and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MoneyError(INVALID)
    return value


def parse_krw(value: object, *, separators: bool = False, whole_floats: bool = False) -> int:
    """``to_krw`` then ``check_krw``: what a form or an API field accepts."""
    return check_krw(to_krw(value, separators=separators, whole_floats=whole_floats))


def check_krw(amount: object) -> int:
    """``amount`` if it is a positive whole number of KRW no larger than ``MAX_KRW``."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise MoneyError(INVALID)
    if amount <= 0:
        raise MoneyError(NOT_POSITIVE)
    if amount > MAX_KRW:
        raise MoneyError(TOO_LARGE)
    return amount


def format_krw(amount: int | str | None, language: str | None = None) -> str:
    """1000000000 → 'KRW 1,000,000,000' (English) or '1,000,000,000원' (Korean); '—' for
    nothing. ``language`` defaults to the active one."""
    if amount is None or amount == "":
        return "—"
    figure = f"{int(amount):,}"
    return f"{figure}원" if reads_korean(language) else f"KRW {figure}"


def format_eok(amount: int | str | None, language: str | None = None) -> str:
    """Korean readers count large sums in 억 (10^8) and 만 (10^4): 1,250,000,000 →
    '12억 5,000만 원'. Other languages, and sums below 억, get ``format_krw``."""
    if amount is None or amount == "":
        return "—"
    amount = int(amount)
    if not reads_korean(language) or abs(amount) < 100_000_000:
        return format_krw(amount, language)
    eok, rest = divmod(amount, 100_000_000)
    man = rest // 10_000
    return f"{eok:,}억 {man:,}만 원" if man else f"{eok:,}억 원"
