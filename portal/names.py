"""Names in the reader's language: reference rows with a Korean name, and countries."""

import gettext
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pycountry
from django.utils.translation import get_language


def reads_korean(language: str | None = None) -> bool:
    """Whether ``language`` (by default the page's being rendered) is Korean."""
    return (language or get_language() or "").startswith("ko")


class LocalNamed:
    """For a model with ``name`` (English, the register's spelling) and ``name_ko``: templates
    and forms show ``local_name`` so a Korean page never falls back to English where a Korean
    name is known, and an English page never shows Hangul."""

    name: str
    name_ko: str

    @property
    def local_name(self) -> str:
        if reads_korean() and self.name_ko:
            return self.name_ko
        return self.name


def name_choices(rows: Iterable[LocalNamed], value: str = "pk") -> list[tuple[Any, str]]:
    """``[(row's value, its name)]`` for a drop-down of reference rows, named and sorted in the
    page's language (a Korean page lists 가나다 order, not the English names' order)."""
    return sorted(((getattr(row, value), row.local_name) for row in rows), key=lambda c: c[1])


@cache
def country_names(language: str) -> list[tuple[str, str]]:
    """ISO 3166-1 names in the page's language (pycountry ships the translations), as
    ``[(alpha-2 code, name)]`` sorted by name."""
    translate: Callable[[str], str]
    try:
        translate = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        ).gettext
    except OSError:
        translate = str
    names = {c.alpha_2: translate(c.name) for c in pycountry.countries}
    return sorted(names.items(), key=lambda item: item[1])


def country_name(code: str, language: str | None = None) -> str:
    """A nationality's country name in ``language`` (the page's by default); an unknown code
    as it is."""
    language = (language or get_language() or "en").split("-")[0]
    return _country_lookup(language).get(code, code)


@cache
def _country_lookup(language: str) -> dict[str, str]:
    return dict(country_names(language))
