"""The Korean translation (issue "Web portal", item 1): Korean by default, English a click away.

The catalogue ``locale/ko/LC_MESSAGES/django.po`` is complete (no untranslated or fuzzy entry,
placeholders kept, the official terms of the Ministry of Justice), the committed ``.mo`` is
compiled from it (a fresh machine with only Python needs no gettext tools), every persona's
pages render Korean unless the user picks English, and mails, API refusals and service
validation errors come out in Korean.

The ``.po`` is read with a small stdlib reader rather than a third-party library."""

import ast
import gettext as gnu_gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, pgettext

from investments import services as ledger
from reporting import notifications
from reporting.models import Obligation
from tests.factories import jeju_investment, recovered

LOCALE = settings.BASE_DIR / "locale" / "ko" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"

#: ``%(name)s``, ``%s``, ``%d``… and ``{name}``: what a translation must keep exactly.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{[^{}]*\}")


# --- a small .po reader -----------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict = field(default_factory=dict)
    flags: set = field(default_factory=set)
    line: int = 0


def read_po(path):
    """The entries of a .po file, header first; obsolete (``#~``) entries are left out."""
    entries, entry, key = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line and entry is not None:
                entries.append(entry)
                entry = None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry.msgstr[key] += value
            else:
                setattr(entry, key, getattr(entry, key) + value)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                key = int(keyword[7:-1]) if "[" in keyword else 0
                entry.msgstr[key] = value
            else:
                key = keyword
                setattr(entry, key, value)
    if entry is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(PO)
    header = dict(line.split(": ", 1) for line in entries[0].msgstr[0].splitlines() if ": " in line)
    return header, entries[1:]


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


# --- the catalogue ----------------------------------------------------------------------------


def test_the_header_declares_korean_in_utf8_with_one_plural_form(catalogue):
    header, _ = catalogue
    assert header["Language"] == "ko"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    _, entries = catalogue
    assert len(entries) > 700
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_exactly_the_one_korean_form(catalogue):
    _, entries = catalogue
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals
    assert [e.msgid for e in plurals if sorted(e.msgstr) != [0]] == []


def test_translations_keep_their_placeholders(catalogue):
    _, entries = catalogue
    broken = [
        (e.msgid, text)
        for e in entries
        if e.flags & {"python-format", "python-brace-format"}
        for text in e.msgstr.values()
        if placeholders(text) != placeholders(e.msgid)
        and set(placeholders(text)) != set(placeholders(e.msgid_plural or e.msgid))
    ]
    assert broken == []


def test_the_translations_are_korean(catalogue):
    _, entries = catalogue
    hangul = re.compile("[\uac00-\ud7a3]")
    same_as_english = {"API", "F-5"}  # a code reads the same in both languages
    left_in_english = [
        e.msgid
        for e in entries
        if e.msgid not in same_as_english and not hangul.search(e.msgstr[0])
    ]
    assert left_in_english == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(PO)], check=True)  # noqa: S603

    def messages(path):
        with path.open("rb") as handle:
            catalog = dict(gnu_gettext.GNUTranslations(handle)._catalog)
        catalog.pop("", None)  # the header: its dates change with every makemessages
        return catalog

    committed = messages(MO)
    assert committed == messages(fresh), "run: msgfmt -o locale/ko/LC_MESSAGES/django.mo …po"


# --- the official terms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("Withdrawal report", "투자금 회수 신고"),
        ("Monthly status notice", "월별 투자현황 통보"),
        ("Immigration office", "출입국·외국인관서"),
        ("Sales company (tourism)", "분양사업자"),
        ("Development project operator", "개발사업시행자"),
        ("Korea Development Bank (public-interest fund)", "한국산업은행"),
        ("Public-interest business investment", "공익사업 투자이민"),
        ("Tourism/leisure facility investment", "관광·휴양시설 투자이민"),
        ("Investor", "투자자"),
        ("Recovery", "회수"),
        ("Early repayment", "중도상환"),
        ("Deadlines", "기한"),
        ("Overdue", "기한 경과"),
        ("Due", "제출 대기"),
        ("Filed on time", "기한 내 제출"),
        ("Filed late", "기한 후 제출"),
        ("Residence status", "체류자격"),
        ("Permanent resident (F-5)", "영주"),
        ("Dashboard", "대시보드"),
        ("Sign in", "로그인"),
        ("Sign out", "로그아웃"),
        ("Lapse begins", "투자 유지 중단"),
        ("Lease", "임대"),
        ("Mortgage", "저당"),
        ("Seizure", "압류"),
        ("Compliance", "의무 이행 현황"),
        ("Record a sanction", "제재"),
        ("Proxy privileges restricted", "대행"),
    ],
)
def test_official_terms_are_used(english, korean):
    with translation.override("ko"):
        assert korean in gettext(english)


def test_a_word_with_two_meanings_is_told_apart_by_context():
    with translation.override("ko"):
        assert gettext("To") == "제출처"  # the office a report goes to
        assert pgettext("end of a period", "To") == "종료일"  # a lapse's last day


# --- pages ------------------------------------------------------------------------------------


def nav(response):
    """The main navigation's text."""
    found = re.search(r"<nav\b.*?</nav>", response.content.decode(), flags=re.S)
    return found.group(0) if found else ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url", "title", "link"),
    [
        ("company", "/dashboard/", "대시보드", "월별 투자현황 통보"),
        ("kdb", "/dashboard/", "대시보드", "신고 기한"),
        ("officer", "/office/", "관서 대시보드", "의무 이행 현황"),
        ("hq", "/hq/", "전체 관서 현황", "기준 정보"),
    ],
)
def test_every_persona_reads_korean_by_default(request, client, persona, url, title, link):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ko">' in page
    assert f"<title>{title}" in page
    assert link in nav(response)
    assert "로그아웃" in page


@pytest.mark.django_db
def test_the_sign_in_page_is_korean(client):
    page = client.get("/accounts/login/").content.decode()
    assert "<h1>로그인</h1>" in page
    assert "투자이민 등록·신고 포털" in page


@pytest.mark.django_db
def test_english_is_a_click_away_and_korean_comes_back(client, company):
    client.force_login(company)

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    assert switched.status_code == 302
    assert switched.url == "/dashboard/"
    english = client.get("/dashboard/")
    assert '<html lang="en">' in english.content.decode()
    assert "Dashboard" in nav(english)
    assert "Monthly notices" in nav(english)
    assert "대시보드" not in english.content.decode()

    client.post("/i18n/setlang/", {"language": "ko", "next": "/dashboard/"})
    assert "대시보드" in nav(client.get("/dashboard/"))


@pytest.mark.django_db
def test_a_form_error_on_a_page_is_korean(client, company):
    client.force_login(company)
    response = client.post("/investors/new/", {"kind": "person", "full_name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "아래 오류를 수정하세요." in page
    assert "이 필드는 필수 항목입니다." in page  # Django's own catalogue
    assert "Please correct" not in page


# --- mails, API refusals and validation errors ------------------------------------------------


@pytest.mark.django_db
def test_a_reminder_mail_to_an_institution_is_korean(company):
    investment = jeju_investment(company)
    recovery = recovered(company, date(2025, 2, 3), investment=investment)
    obligation = Obligation.objects.get(recovery=recovery)
    with translation.override("ko"):
        assert notifications.institution_language() == "ko"
        subject, body = notifications.render(
            "reminder_first",
            obligation,
            today=date(2025, 2, 10),
            language=translation.get_language(),
        )
    assert "투자금 회수 신고" in subject
    assert "제출 기한" in body
    assert "제주출입국·외국인청" in body
    assert "Withdrawal report" not in subject + body


@pytest.mark.parametrize(
    ("language", "message"),
    [("ko", "금액은 0보다 커야 합니다."), ("en", "The amount must be greater than zero.")],
)
def test_a_service_refusal_speaks_the_active_language(language, message):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        ledger.check_krw(-5, "amount_krw")
    assert refused.value.message_dict == {"amount_krw": [message]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "원장은 분양사업자, 개발사업시행자 또는 한국산업은행만 관리합니다."),
        (
            {"HTTP_ACCEPT_LANGUAGE": "en"},
            "Only a sales company, project operator or KDB keeps a ledger.",
        ),
    ],
)
def test_an_api_refusal_speaks_the_request_language(api, officer, headers, message):
    response = api.as_user(officer).post("/api/v1/investors/", {}, format="json", **headers)
    assert response.status_code == 403
    assert response.json()["detail"] == message


@pytest.mark.django_db
def test_an_api_amount_error_is_korean_by_default(api, company, jeju_ledger):
    response = api.as_user(company).post(
        "/api/v1/payments/",
        {
            "investment": jeju_ledger.investment.pk,
            "paid_on": "2024-10-01",
            "amount_krw": -5,
            "kind": "final",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["amount_krw"] == ["금액은 0보다 커야 합니다."]
