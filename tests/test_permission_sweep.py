"""Issue 9 "must show": every URL of the URLconf — pages, API, admin, history views, downloads —
visited by every role, with its own organisation's objects and another's, and not one of the
other organisation's rows reachable (SPEC §7).

The URLs are read from the URLconf when the test runs, so a URL added later is swept without
editing this file. Each pattern's parameters are filled with the ids of every object of both
organisations (a number means nothing across tables, so each id is tried in each slot), and
every pattern is visited with GET and with an empty POST.

"Reachable" is judged by canaries: the foreign investor's name, passport number and property
appear in no answer (pages, JSON, unzipped workbooks, redirects), and none of its rows
changes. A role the gate lets see that investor (HQ, its own company) is the control: the
same canaries must show up for it, proving the sweep can see a leak when there is one.
"""

import io
import zipfile
from datetime import date

import pytest

from investments.models import Investor
from reporting import filings, notices
from tests.conftest import INCHEON_PASSPORT
from tests.factories import recovered
from tests.urlconf_support import fill, patterns

pytestmark = pytest.mark.django_db

CANARIES = ["Sato Kenji", INCHEON_PASSPORT, "Songdo Bay Hotel"]
# Ending the session would sign the role out for the rest of the sweep.
SKIPPED_POSTS = {"logout"}
ROLES = ["anonymous", "hq", "officer", "officer_sejongno", "company", "other_company", "kdb"]


def readable(response):
    """The answer as text: a workbook or other zip is unpacked; a stream is read."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", "replace") + response.get("Location", "")


def foreign_fingerprint(ledger):
    """What must not change: the other organisation's rows and their histories."""
    rows = [
        ledger.investor,
        ledger.investment,
        ledger.payment,
        ledger.recovery,
        ledger.obligation,
        ledger.report,
        ledger.notice,
    ]
    return [
        (
            type(row).objects.filter(pk=row.pk).values().first(),
            row.history.count() if hasattr(row, "history") else None,
        )
        for row in rows
    ] + [ledger.obligation.reports.count(), ledger.investment.payments.count()]


@pytest.fixture
def foreign(incheon_ledger, other_company):
    """company.incheon's investor with a recovery, its filed report and a monthly notice."""
    ledger = incheon_ledger
    ledger.recovery = recovered(
        other_company, date(2024, 6, 3), investment=ledger.investment, amount_krw=50_000_000
    )
    ledger.obligation = ledger.recovery.obligation
    ledger.report = filings.file_report(by=other_company, obligation=ledger.obligation)
    ledger.notice = notices.compute_notice(
        by=other_company, program="tourism", period=date(2024, 6, 1)
    )
    return ledger


@pytest.fixture
def own(jeju_ledger, kdb_ledger):
    return [jeju_ledger, kdb_ledger]


def ids_of(ledgers):
    ids = set()
    for ledger in ledgers:
        for value in vars(ledger).values():
            rows = value if isinstance(value, list) else [value]
            ids.update(row.pk for row in rows if hasattr(row, "pk"))
            ids.update(row.history.latest().history_id for row in rows if hasattr(row, "history"))
    return sorted(ids)


def pairs_of(ledgers):
    """(row id, its latest history id) of every row with a history: the two ids of an admin
    history entry's URL."""
    pairs = set()
    for ledger in ledgers:
        for value in vars(ledger).values():
            rows = value if isinstance(value, list) else [value]
            pairs.update(
                (row.pk, row.history.latest().history_id) for row in rows if hasattr(row, "history")
            )
    return sorted(pairs)


def test_the_sweep_reads_every_kind_of_url():
    """The walk finds pages, API, admin (with history views), downloads and sign-in."""
    templates = [template for template, _ in patterns()]
    for expected in [
        "investors/{pk}/",
        "api/v1/investors/{pk}/",
        "admin/investments/investor/{object_id}/history/",
        "admin/investments/investor/{id}/history/{id}/",
        "admin/autocomplete/",
        "reports/{pk}/letter.pdf",
        "notices/{pk}/workbook.xlsx",
        "exports/{pk}/download/",
    ]:
        assert expected in templates


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_organisations_rows(client, request, role, foreign, own):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client.raise_request_exception = False  # a 500 is collected, not raised
    if user is not None:
        client.force_login(user)
    entitled = (
        user is not None
        and Investor.objects.visible_to(user).filter(pk=foreign.investor.pk).exists()
    )
    before = foreign_fingerprint(foreign)
    ids = ids_of([foreign, *own])
    pairs = pairs_of([foreign, *own])

    # Findings are listed by pattern, so a failure names each view once.
    leaks, errors, seen = set(), set(), set()
    for template, name in patterns():
        for url in fill(template, ids, pairs):
            for method in ("get", "post"):
                if method == "post" and name in SKIPPED_POSTS:
                    continue
                response = getattr(client, method)(url)
                if response.status_code >= 500:
                    errors.add((method, template))
                    continue
                text = readable(response)
                found = {canary for canary in CANARIES if canary in text}
                seen |= found
                if found and not entitled:
                    leaks.add((method, template, url))

    assert not errors, "\n".join(map(str, sorted(errors)))
    assert not leaks, "\n".join(map(str, sorted(leaks)))
    if not entitled:
        assert foreign_fingerprint(foreign) == before
    if entitled:
        # The control: the sweep does see the investor where the gate allows it.
        assert {"Sato Kenji", "Songdo Bay Hotel"} <= seen
