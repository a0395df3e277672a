"""The one .xlsx writer (``portal.xlsx``) and how exports reach people: safe text (no formula
runs, no control character breaks a file), money and date formats, rows streamed from disk,
and a large export prepared as a background job with its progress page and a download only
its requester may fetch — the same rows, through the same gate and filters, as the page."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from portal import xlsx
from reporting import notices
from reporting.exports import jobs
from reporting.models import ExportJob
from tests import factories
from tests.xlsx_support import export_rows, rows, workbook


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+82 10", "'+82 10"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Wang = Fang", "Wang = Fang"),
        ("bell\x07", "bell"),
        ("\x00=0", "'=0"),  # a control character hiding a formula is dropped first
        ("two\nlines", "two\nlines"),
        ("", ""),
    ],
)
def test_safe_text(text, written):
    assert xlsx.safe_text(text) == written


def test_sheets_stream_with_formats_bold_headers_and_short_titles():
    seoul_noon = datetime(2025, 1, 2, 3, 0, tzinfo=UTC)  # 12:00 in Korea
    book = workbook(
        [
            xlsx.Sheet(
                "A",
                iter([[date(2025, 1, 2), xlsx.Money(1234), 7, seoul_noon, None, "x"]]),
                header=[["when", "KRW"]],
            ),
            xlsx.Sheet("B" * 40, ([i] for i in range(3))),
        ]
    )
    assert book.sheetnames == ["A", "B" * 31]
    sheet = book["A"]
    when, krw, count, moment = sheet["A2"], sheet["B2"], sheet["C2"], sheet["D2"]
    assert (when.value.date(), when.number_format) == (date(2025, 1, 2), "yyyy-mm-dd")
    assert (krw.value, krw.number_format) == (1234, "#,##0")
    assert (count.value, count.number_format) == (7, "General")  # a count is no money
    assert moment.value == datetime(2025, 1, 2, 12, 0)
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert rows(sheet)[1][4:] == [None, "x"]
    assert rows(book["B" * 31]) == [[0], [1], [2]]


def test_notes_and_choices_guide_whoever_fills_a_sheet():
    book = workbook(
        [xlsx.Sheet("t", [], header=[["kind", "ref"]], notes={0: "A code"}, choices={0: ["a"]})]
    )
    sheet = book["t"]
    assert sheet["A1"].comment.text == "A code"
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"a"' and "A2" in str(validation.sqref)


def test_a_download_is_streamed_from_a_file():
    response = xlsx.response([xlsx.Sheet("t", [[1]])], filename="t.xlsx")
    assert response.streaming
    assert response["Content-Type"] == xlsx.MIME
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    assert rows(workbook(response).active) == [[1]]


# --- the exports ------------------------------------------------------------------------------


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_control_character_or_a_formula_in_a_name_exports_fine(client, company):
    bell = factories.jeju_investment(company, name="WANG\x07 Fang", passport="E10000001")
    formula = factories.jeju_investment(
        company, name="=SUM(A1:A9)", passport="E10000002", unit_number="B-101"
    )
    response = signed_in(client, company).get(reverse("investment-export"))
    assert response.status_code == 200
    names = {row[0]: row[1] for row in export_rows(response)[1:]}
    assert names == {bell.pk: "WANG Fang", formula.pk: "'=SUM(A1:A9)"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def large(settings, media):
    """Every export counts as large: prepared as a job."""
    settings.EXPORT_INLINE_ROWS = 0


@pytest.fixture
def two_investments(company):
    return [
        factories.jeju_investment(company, passport="E20000001", contract_date=date(2023, 6, 1)),
        factories.jeju_investment(
            company, passport="E20000002", unit_number="C-1", contract_date=date(2024, 8, 1)
        ),
    ]


def start(client, kind, query, callbacks):
    """Press "Prepare the export" on the offer page; the job runs when the request commits."""
    with callbacks(execute=True):
        return client.post(reverse("export-start"), {"kind": kind, "query": query})


@pytest.mark.django_db
def test_a_large_export_is_prepared_as_a_job_with_the_pages_rows(
    client, company, two_investments, large, django_capture_on_commit_callbacks
):
    client = signed_in(client, company)
    query = urlencode({"contract_date_after": "2024-01-01"})
    offer = client.get(f"{reverse('investment-export')}?{query}")
    assert offer.status_code == 200 and offer["Content-Type"].startswith("text/html")
    assert f'value="{query}"' in offer.content.decode()
    assert not ExportJob.objects.exists()  # looking at the offer starts nothing

    started = start(client, "investments", query, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert started["Location"] == reverse("export-detail", args=[job.pk])
    assert (job.state, job.rows_total, job.rows_done, job.percent) == ("done", 1, 1, 100)

    page = client.get(started["Location"]).content.decode()
    assert reverse("export-download", args=[job.pk]) in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    download = client.get(reverse("export-download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert [row[0] for row in export_rows(download)[1:]] == [two_investments[1].pk]


@pytest.mark.django_db
def test_only_the_requester_sees_a_job_and_its_file(
    client, company, other_company, hq, two_investments, large, django_capture_on_commit_callbacks
):
    start(signed_in(client, company), "deadlines", "", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    for somebody_else in (other_company, hq):
        client = signed_in(client, somebody_else)
        assert client.get(reverse("export-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("export-download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_job_runs_as_its_requester_through_the_gate(
    company, other_company, two_investments, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_export(by=other_company, kind="investments", query=QueryDict(""))
    job.refresh_from_db()
    assert job.rows_total == 0
    with job.file.open("rb") as file:
        assert rows(workbook(file.read()).active)[1:] == []  # none of company.jeju's rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("investments", "contract_date_after=not-a-date"),
        ("everything", ""),
        ("notice", "notice=999999"),
        ("investments", "zone=" + "x" * 3000),
    ],
)
def test_a_refused_export_queues_nothing(client, company, kind, query, large):
    response = signed_in(client, company).post(
        reverse("export-start"), {"kind": kind, "query": query}
    )
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_job_delivered_twice_is_written_once(
    company, two_investments, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_export(by=company, kind="investments", query=QueryDict(""))
    assert jobs.run_export(job.pk) is None
    assert len(list(media.rglob("*.xlsx"))) == 1


@pytest.mark.django_db
def test_a_failed_job_says_so(
    client, company, two_investments, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "write", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_export(by=company, kind="investments", query=QueryDict(""))
    job.refresh_from_db()
    assert job.state == "failed" and not job.file
    page = signed_in(client, company).get(reverse("export-detail", args=[job.pk]))
    assert 'role="alert"' in page.content.decode()
    assert client.get(reverse("export-download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_waiting_job_reloads_its_page_and_shows_progress(client, company, media):
    job = ExportJob.objects.create(
        kind="investments", requested_by=company, rows_total=4000, rows_done=1000,
        state="running", filename="investments.xlsx", language="ko",
    )  # fmt: skip
    page = signed_in(client, company).get(reverse("export-detail", args=[job.pk]))
    html = page.content.decode()
    assert 'http-equiv="refresh"' in html and 'value="25"' in html


@pytest.mark.django_db
def test_old_exports_are_deleted_with_their_files(
    company, two_investments, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = jobs.start_export(by=company, kind="investments", query=QueryDict(""))
        recent = jobs.start_export(by=company, kind="deadlines", query=QueryDict(""))
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old.refresh_from_db()
    path = media / old.file.name
    assert path.exists()
    assert jobs.purge_exports() == 1
    assert not path.exists()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_purge_command_deletes_old_exports(company, media):
    ExportJob.objects.create(kind="deadlines", requested_by=company, filename="d.xlsx")
    ExportJob.objects.update(created_at=timezone.now() - timedelta(days=30))
    out = StringIO()
    call_command("purge_exports", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 prepared exports."
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_a_large_notice_workbook_is_prepared_like_any_export(
    client, company, officer, jeju_ledger, large, django_capture_on_commit_callbacks
):
    notice = notices.compute_notice(by=company, program="tourism", period=date(2024, 9, 1))
    client = signed_in(client, officer)
    offer = client.get(reverse("notice-xlsx", args=[notice.pk]))
    assert f'value="notice={notice.pk}"' in offer.content.decode()
    start(client, "notice", f"notice={notice.pk}", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    book = workbook(client.get(reverse("export-download", args=[job.pk])))
    assert book.sheetnames == ["Notice", "Detail", "About"]
    assert rows(book["Detail"])[1][0] == jeju_ledger.investment.pk
