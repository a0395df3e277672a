"""Issue 11.1, "Korean throughout": every page of every role, rendered in Korean, shows no
English word that is not a code, a number, a name from the ledger or a proper noun on the
allow-list below.

The pages are read from the URLconf (``tests/urlconf_support``), so a page added later is
checked without editing this file, and filled with the ids of a company's, KDB's and an
officer's ledger rows. What a reader sees is checked: text outside scripts and styles, and
the attributes a screen reader or a tooltip reads (``title``, ``aria-label``, ``placeholder``,
``alt``, a button's ``value``). The API (JSON, English field names by contract) and downloads
(workbooks, PDFs) are not pages.
"""

import re
from html.parser import HTMLParser

import pytest

from investments.models import Investor, Property
from portal.models import Organisation, User
from tests.urlconf_support import fill, patterns

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "company", "kdb", "officer", "officer_sejongno", "hq"]
# The admin (HQ's reference-data tool) is Django's and django-simple-history's, and names
# reference rows by their register spelling: it is not yet held to this test.
NOT_PAGES = ("api/", "admin/", "i18n/", "accounts/logout/", "static/")
#: Words that read the same on a Korean page. Capitals are codes and acronyms (CN, KRW, API,
#: YYYY-MM, README) and pass by themselves; paths (``/api/v1/…``) are read as code, too.
ALLOWED = {
    "English",  # the language selector names each language in itself
    "KiB",  # the unit of an upload limit
    "xlsx",  # a file's type, as its name ends
    "Holy",  # ISO 3166's Korean name of VA keeps "(Holy See)"
    "See",
}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
WORD = re.compile(r"[A-Za-z]{2,}")
CODE = re.compile(r"^[A-Z]+$")
PATH = re.compile(r"/[\w./{}-]+")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        attributes = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def ledger_names():
    """What the ledger itself holds in Latin letters: people's and properties' names, user
    names, institutions without a Korean name. Longest first, so a name is taken out whole."""
    names = set(Investor.all_objects.values_list("full_name", flat=True))
    names |= set(Property.objects.values_list("name", flat=True))
    names |= set(Property.objects.values_list("unit_number", flat=True))
    names |= set(User.objects.values_list("username", flat=True))
    names |= set(User.objects.values_list("email", flat=True))
    names |= set(Organisation.objects.filter(name_ko="").values_list("name", flat=True))
    return sorted((name for name in names if name), key=len, reverse=True)


def english_words(html, names):
    text = visible_text(html)
    for name in names:
        text = text.replace(name, " ")
    text = PATH.sub(" ", text)
    return sorted(
        {word for word in WORD.findall(text) if word not in ALLOWED and not CODE.match(word)}
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_korean(client, request, role, jeju_ledger, kdb_ledger):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    client.raise_request_exception = False
    ids = sorted(
        {
            row.pk
            for ledger in (jeju_ledger, kdb_ledger)
            for row in vars(ledger).values()
            if hasattr(row, "pk")
        }
    )
    names = ledger_names()
    english, pages = {}, 0
    for template, _ in patterns():
        if template.startswith(NOT_PAGES):
            continue
        for url in fill(template, ids):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "text/html"
            ):
                continue
            pages += 1
            words = english_words(response.content.decode(), names)
            if words:
                english.setdefault(template, set()).update(words)
    assert pages, "no page was read"
    assert not english, "\n".join(f"{t}: {' '.join(sorted(w))}" for t, w in sorted(english.items()))
