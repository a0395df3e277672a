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
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.urls import reverse
from django.utils import translation

from investments.models import Investor, Property
from portal.models import Organisation, User
from tests.urlconf_support import fill, patterns

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "company", "kdb", "officer", "officer_sejongno", "hq"]
# The admin (HQ's reference-data tool) names reference rows by their register spelling: it
# has its own test below, which takes the rows' text out and checks the rest.
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


# --- the admin (HQ's reference-data tool) -----------------------------------------------------


#: Words of the admin that are not ours and that their packages do not let us translate (the
#: ones they do are in portal/admin_messages.py): the names django-axes and django-otp give
#: their apps and models ("Axes", "Otp_Totp", "TOTP devices"), simple-history's "historical …"
#: model names and the "None" it prints for a version recorded without a reason, the alt
#: text of Django's yes/no and search icons, and the English words Django's own Korean keeps
#: (key names in the multiple-choice hint, "Single Sign-On" in a help text).
ADMIN_ALLOWED = {
    *("Axes", "Otp", "Totp", "device", "devices", "Historical", "historical", "None"),
    *("True", "False", "Search", "Control", "Command", "Mac", "Single", "Sign", "On"),
}


def admin_pages(model, model_admin, request):
    """The changelist, the add form, and an existing row's change form, history and first
    version (the first row HQ's admin lists), as URLs."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{info}_changelist")]
    if model_admin.has_add_permission(request):
        urls.append(reverse(f"{info}_add"))
    row = model_admin.get_queryset(request).order_by("pk").first()
    if row is not None:
        urls.append(reverse(f"{info}_change", args=[row.pk]))
        if hasattr(model._meta, "simple_history_manager_attribute"):
            urls.append(reverse(f"{info}_history", args=[row.pk]))
            version = row.history.order_by("history_id").first()
            if version is not None:
                urls.append(reverse(f"{info}_simple_history", args=[row.pk, version.history_id]))
    return urls


def admin_data():
    """What the admin shows of its rows as they are stored: every text column of every row it
    lists (reference data keeps its register spelling, as the comment above says), the verbs
    recorded as the reason of each version, and the permission names Django stores in
    English. Choice labels are not stored: they stay
    checked."""
    with translation.override("ko"):
        values = {str(p) for p in Permission.objects.select_related("content_type")}
    for model in admin.site._registry:
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if texts:
            for row in model._default_manager.values_list(*texts):
                values.update(str(v) for v in row if v)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            # the verb that wrote a version (portal/audit.py), an identifier like a code
            history = getattr(model, model._meta.simple_history_manager_attribute)
            values.update(filter(None, history.values_list("history_change_reason", flat=True)))
    return values


def test_every_admin_page_is_korean(client, rf, hq, jeju_ledger, kdb_ledger):
    """HQ goes through every model's changelist, forms and history in Korean: column headers,
    filter titles, actions, labels, help texts and fieldset titles are ours to translate."""
    client.force_login(hq)
    request = rf.get("/admin/")
    request.user = hq
    names = sorted(set(ledger_names()) | set(admin_data()), key=len, reverse=True)
    english, pages = {}, 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue  # not HQ's (groups, say): the admin answers 403
        for url in admin_pages(model, model_admin, request):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
            assert response.status_code == 200, url
            pages += 1
            # a password's hash summary (algorithm, the start of salt and hash) is not words
            html = re.sub(r"<bdi>.*?</bdi>", " ", response.content.decode())
            words = set(english_words(html, names)) - ADMIN_ALLOWED
            if words:
                english[url] = sorted(words)
    assert pages > len(admin.site._registry)
    assert not english, "\n".join(f"{url}: {' '.join(words)}" for url, words in english.items())
