"""Long operations show their progress (issue 11, item 6) the way a large export does: a large
upload on the import page and HQ's recomputation of every eligibility fact run as a background
job (``ExportJob``) with the same page, which shows how far it is and then what it did — the
rows an import added or every error it found (nothing saved), or the people recomputed."""

import pytest
from django.urls import reverse

from investments.models import Investor
from reporting.choices import ExportKind
from reporting.exports import jobs
from reporting.imports import apply
from reporting.models import ExportJob
from tests.factories import as_user
from tests.test_imports import good_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_upload_is_large(settings, tmp_path):
    settings.LEDGER_IMPORT_INLINE_BYTES = 0
    settings.MEDIA_ROOT = tmp_path  # where the uploaded workbook is kept


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a workbook to the import page; the job queued after commit runs (eager Celery)."""

    def upload(user, rows):
        with django_capture_on_commit_callbacks(execute=True):
            return as_user(client, user).post(reverse("ledger-import"), {"file": xlsx(rows)})

    return upload


def test_a_large_import_runs_as_a_job_with_a_progress_page(
    client, company, every_upload_is_large, upload, monkeypatch
):
    progress = []
    noted = jobs.note_progress

    def noting(job_id, done, total):
        progress.append((done, total))
        noted(job_id, done, total)

    monkeypatch.setattr(jobs, "note_progress", noting)
    monkeypatch.setattr(apply, "PROGRESS_EVERY", 1)
    answer = upload(company, good_rows())
    job = ExportJob.objects.get(kind=ExportKind.IMPORT)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "export-detail", args=[job.pk]
    )
    assert job.state == "done" and job.requested_by == company
    assert job.result["created"]["investors"] >= 1
    assert progress and progress[-1][0] == progress[-1][1]  # counted up to every row
    assert Investor.objects.filter(institution=company.organisation).exists()

    page = as_user(client, company).get(answer["Location"]).content.decode()
    assert "Ledger import" in page and "The file was imported." in page
    assert 'value="100"' in page
    assert reverse("export-download", args=[job.pk]) not in page


def test_a_refused_large_import_lists_every_error_on_its_page(
    client, company, every_upload_is_large, upload
):
    rows = good_rows()
    rows["lapses"][0]["started_on"] = "03/03/2025"  # not a date the template takes
    answer = upload(company, rows)
    job = ExportJob.objects.get(kind=ExportKind.IMPORT)
    assert job.state == "failed" and job.result["errors"]
    assert not Investor.objects.filter(institution=company.organisation).exists()
    page = as_user(client, company).get(answer["Location"]).content.decode()
    assert "The file was refused" in page and "Nothing was saved." in page


def test_hq_recomputes_every_fact_with_a_progress_page(
    client, hq, company, jeju_ledger, django_capture_on_commit_callbacks
):
    page = as_user(client, hq).get(reverse("f5-pipeline")).content.decode()
    assert reverse("recompute-start") in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = as_user(client, hq).post(reverse("recompute-start"))
    job = ExportJob.objects.get(kind=ExportKind.RECOMPUTE)
    assert answer["Location"] == reverse("export-detail", args=[job.pk])
    assert job.state == "done" and job.rows_total >= 1 and job.rows_done == job.rows_total
    shown = as_user(client, hq).get(answer["Location"]).content.decode()
    assert "Every eligibility fact was recomputed." in shown
    assert f"{job.rows_total} of {job.rows_total} people" in shown
    # only HQ starts it, and a job is its requester's alone
    assert as_user(client, company).post(reverse("recompute-start")).status_code == 403
    assert as_user(client, company).get(answer["Location"]).status_code == 404
