"""Pages outside the ledger's own: the error pages in the portal's frame and language, and the
admin's column headers in Korean (issue 11: English on Korean pages)."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Headers that are codes or names in both languages.
ALLOWED_ASCII = {"API", "KRW", "ID", "URL", "F-5", "ISO"}


def column_headers(html):
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html, re.S)
    ]


def test_every_admin_list_has_korean_column_headers(client, admin_user):
    client.force_login(admin_user)
    untranslated = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200, url
        for header in column_headers(response.content.decode()):
            words = set(re.findall(r"[A-Za-z][A-Za-z-]+", header)) - ALLOWED_ASCII
            if words:
                untranslated.setdefault(url, []).append(header)
    assert untranslated == {}


@override_settings(DEBUG=False)
def test_the_404_page_is_in_the_frame_and_in_korean(client, company):
    client.force_login(company)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert "페이지를 찾을 수 없습니다" in page
    assert 'class="top"' in page  # the portal's header and navigation


@override_settings(DEBUG=False)
def test_the_403_page_is_in_the_frame_and_in_english_when_chosen(client, officer):
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("investor-new"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page and 'class="top"' in page
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    page = client.get(reverse("investor-new")).content.decode()
    assert "허용되지 않습니다" in page


@override_settings(DEBUG=False)
def test_the_500_page_is_in_the_frame(client, company, monkeypatch):
    from reporting.views import dashboards

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboards, "render", broken)
    client.raise_request_exception = False
    client.force_login(company)
    response = client.get(reverse("institution-dashboard"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "문제가 발생했습니다" in page and 'class="top"' in page


def test_no_template_has_inline_script():
    """A Content-Security-Policy without 'unsafe-inline' is planned: behaviour lives in
    static/portal/app.js, declared in the markup with data- attributes."""
    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        html = path.read_text()
        if re.search(r"\son[a-z]+=", html) or re.search(r"<script(?![^>]*\ssrc=)", html):
            offenders.append(path.name)
    assert offenders == []


def test_every_page_has_the_favicon_and_the_script(client, company):
    client.force_login(company)
    page = client.get(reverse("institution-dashboard")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/portal/favicon.svg"', page)
    assert '<script src="/static/portal/app.js" defer></script>' in page
