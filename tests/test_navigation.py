"""The header's navigation (issue 11, "Daily use"): each link of a role's navigation reads
differently from its neighbours in both languages. "투자자" beside "투자", or "API keys" beside
"API", read as one word said twice — on screen and to a screen reader going link by link."""

import re

import pytest
from django.urls import reverse

from tests.factories import as_user

pytestmark = pytest.mark.django_db

ROLES = ["company", "kdb", "officer", "officer_sejongno", "hq"]


def nav_labels(page):
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S)
    assert nav, "the header has its navigation"
    return [
        re.sub(r"<[^>]+>|\s+", " ", label).strip()
        for label in re.findall(r"<a [^>]*>(.*?)</a>", nav.group(1), re.S)
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_link_of_the_navigation_reads_as_the_start_of_another(request, client, role, language):
    user = request.getfixturevalue(role)
    web = as_user(client, user, language=language)
    labels = nav_labels(web.get(reverse("home"), follow=True).content.decode())
    assert len(labels) >= 5
    assert len(set(labels)) == len(labels), labels
    prefixes = [(a, b) for a in labels for b in labels if a != b and b.startswith(a)]
    assert prefixes == [], labels


def test_the_investments_link_names_the_table_in_korean(client, company):
    web = as_user(client, company, language="ko")
    labels = nav_labels(web.get(reverse("home"), follow=True).content.decode())
    assert labels[:3] == ["대시보드", "투자자", "투자 내역"]
    assert "API 문서" in labels and "API 키" in labels
    page = web.get(reverse("investment-list")).content.decode()
    assert "<h1>투자 내역</h1>" in page
