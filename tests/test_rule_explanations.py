"""Issue 8, "explanations people can act on": the eligibility answer's reasons are rendered in
the reader's language (``Accept-Language`` in the API), amounts with the portal's KRW format
and sources as readable citations ("출입국 지침 §6.D"), never internal keys such as
``[decision] R1 in_period``.
"""

import re
from datetime import date
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from investments.models import Investment, Investor
from portal.models import User
from reporting.eligibility import label
from tests.factories import grants, jeju_investment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(company, officer):
    """A registered Jeju owner of KRW 1 billion (seed §6.D ①), F-2-8 from 2024-04-01."""
    investment = jeju_investment(company, registered_on=date(2024, 3, 20))
    grants(officer, investment.investor, ("F-2-8", date(2024, 4, 1), date(2027, 3, 31)))
    return investment.investor


def reasons(api, user, investor, language):
    response = api.as_user(user).get(
        f"/api/v1/investors/{investor.pk}/eligibility/",
        {"as_of": "2025-01-01"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200, response.content
    return response.json()["reasons"]


# (language, decisive R2 sentence, its citation): seed §6.D ①
CASES = [
    (
        "ko",
        "F-2-8: #{pk} Halla Resort A-1203: 1,000,000,000원 보유로 최소 투자금 1,000,000,000원 "
        "충족, 2024-03-20부터 소유권 등기",
        "출입국 지침 §6.D",
    ),
    (
        "en",
        "F-2-8: #{pk} Halla Resort A-1203: holds KRW 1,000,000,000, meeting the "
        "KRW 1,000,000,000 minimum, ownership registration since 2024-03-20",
        "Immigration guideline §6.D",
    ),
]


@pytest.mark.parametrize("language,sentence,citation", CASES)
def test_the_decisive_reason_is_in_the_readers_language(
    api, company, owner, language, sentence, citation
):
    found = reasons(api, company, owner, language)
    pk = owner.investments.get().pk
    decisive = [r for r in found if r["rule"] == "R2"]
    assert {"text": sentence.format(pk=pk), "source": citation, "rule": "R2"} in decisive


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_source_is_an_internal_key(api, company, owner, language):
    for reason in reasons(api, company, owner, language):
        assert "[" not in reason["source"] and "seed" not in reason["source"], reason
        assert "_" not in reason["source"], reason


# Three English words in a row: a sentence left untranslated. Names of places, projects and
# units are data, not sentences: they are taken out of a line before it is read.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,'-]+[A-Za-z]{2,}){2,}")
REASON_LISTS = re.compile(r'<ul class="reasons">(.*?)</ul>', re.S)


def reason_lines(html):
    for found in REASON_LISTS.findall(html):
        for item in re.findall(r"<li>(.*?)</li>", found, re.S):
            yield unescape(re.sub(r"<[^>]+>", "", item)).strip()


@pytest.fixture
def demo_ledger(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("make_demo", investors=80, password="demo-explain-2026", stdout=StringIO())


@pytest.mark.slow
def test_every_reason_line_of_a_korean_investor_page_is_korean(client, demo_ledger):
    """Issue 8, "Must show": an investor page in Korean whose every reason line is Korean. The
    demo ledger gives every kind of investor (owners, members, linked investors, depositors,
    recoveries, lapses, disqualifications, F-5 clocks running, paused and stopped)."""
    client.force_login(User.objects.get(username="hq"))
    english, read = [], 0
    for investor in Investor.objects.order_by("pk"):
        response = client.get(f"/investors/{investor.pk}/", HTTP_ACCEPT_LANGUAGE="ko")
        assert response.status_code == 200
        names = sorted(
            (label(i) for i in Investment.objects.filter(investor__person=investor.person)),
            key=len,
            reverse=True,
        )
        for line in reason_lines(response.content.decode()):
            read += 1
            for name in names:
                line = line.replace(name, "")
            if ENGLISH.search(line):
                english.append((investor.pk, line))
    assert read > 200, read
    assert not english, english[:10]
