"""How background jobs are started (SPEC §6): thin Celery tasks on a beat schedule, queued after
commit, each with a management command; and the drafts the monthly job computes."""

import types
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.celery import app
from reporting import sweep, tasks
from reporting.models import MonthlyNotice, Obligation
from tests.factories import notice_obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_obligation(company):
    return notice_obligation(company)


# --- schedule and tasks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry, task, fields",
    [
        (
            "daily-sweep",
            "reporting.tasks.daily_sweep_task",
            {"minute": {0}, "hour": {6}, "day_of_month": set(range(1, 32))},
        ),
        (
            "monthly-drafts",
            "reporting.tasks.monthly_drafts_task",
            {"minute": {0}, "hour": {1}, "day_of_month": {1}},
        ),
    ],
)
def test_the_beat_schedule_runs_each_job_at_korean_times(settings, entry, task, fields):
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]
    assert schedule["task"] == task
    assert task in app.tasks
    assert isinstance(schedule["schedule"], crontab)
    for field, values in fields.items():
        assert getattr(schedule["schedule"], field) == values
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"
    assert app.conf.beat_schedule[entry]["task"] == task


def test_the_sweep_task_calls_the_sweep(overdue_obligation):
    result = tasks.daily_sweep_task.apply(kwargs={"today": "2025-02-06"}).get()
    assert result["today"] == "2025-02-06"
    assert result["marked_overdue"] == 1
    overdue_obligation.refresh_from_db()
    assert overdue_obligation.state == "overdue"


def test_the_sweep_task_sweeps_the_korean_today(overdue_obligation):
    with time_machine.travel(datetime(2025, 2, 5, 21, 0, tzinfo=UTC), tick=False):
        result = tasks.daily_sweep_task.apply().get()
    assert result["today"] == "2025-02-06"


@pytest.fixture
def drafted(monkeypatch):
    """Periods the monthly task asked ``compute_monthly_drafts`` for."""
    periods = []
    monkeypatch.setattr(sweep, "compute_monthly_drafts", lambda *, period: periods.append(period))
    return periods


@pytest.mark.parametrize(
    "now, period, expected",
    [
        # 01:00 on 1 March in Seoul is still 28 February in UTC: February has just ended.
        (datetime(2025, 2, 28, 16, 0, tzinfo=UTC), None, date(2025, 2, 1)),
        (datetime(2025, 1, 1, 0, 0, tzinfo=UTC), None, date(2024, 12, 1)),
        (datetime(2025, 3, 15, 0, 0, tzinfo=UTC), "2024-11", date(2024, 11, 1)),
    ],
)
def test_the_monthly_task_drafts_the_month_just_ended(drafted, now, period, expected):
    with time_machine.travel(now, tick=False):
        tasks.monthly_drafts_task.apply(args=[period] if period else []).get()
    assert drafted == [expected]


def test_queue_after_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    queued = []
    task = types.SimpleNamespace(delay=lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_after_commit(task, 7, "due_today")
        assert queued == []
    assert queued == [(7, "due_today")]


# --- monthly drafts ---------------------------------------------------------------------------


def drafts(period):
    return sorted(
        MonthlyNotice.objects.filter(period=period, state="draft").values_list(
            "institution__name", "program"
        )
    )


def test_drafts_are_computed_for_every_institution_and_program(
    jeju_ledger, kdb_ledger, incheon_ledger
):
    summary = sweep.compute_monthly_drafts(period=date(2024, 9, 30))
    assert summary == {"period": "2024-09", "computed": 3, "skipped": 0, "failed": {}}
    assert drafts(date(2024, 9, 1)) == [
        ("Halla Resort Development Co., Ltd.", "tourism"),
        ("Korea Development Bank", "public_interest"),
        ("Songdo Bay Hospitality Co., Ltd.", "tourism"),
    ]
    assert Obligation.objects.filter(kind="monthly_notice", period=date(2024, 9, 1)).count() == 3


def test_drafting_a_month_again_refreshes_and_skips_submitted_ones(jeju_ledger, kdb_ledger):
    period = date(2024, 9, 1)
    sweep.compute_monthly_drafts(period=period)
    MonthlyNotice.objects.filter(program="public_interest").update(
        state="submitted", submitted_at=timezone.now()
    )
    summary = sweep.compute_monthly_drafts(period=period)
    assert (summary["computed"], summary["skipped"]) == (2, 1)  # company.incheon owes one too
    assert MonthlyNotice.objects.filter(period=period).count() == 3


# --- commands -------------------------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sweep_obligations_command_runs_the_same_sweep(overdue_obligation):
    output = run("sweep_obligations", "--today", "2025-02-06")
    assert "Sweep of 2025-02-06: 1 marked overdue" in output
    overdue_obligation.refresh_from_db()
    assert overdue_obligation.state == "overdue"
    assert "0 marked overdue" in run("sweep_obligations", "--today", "2025-02-06")


def test_sweep_obligations_refuses_a_malformed_day():
    with pytest.raises(CommandError, match="today"):
        run("sweep_obligations", "--today", "06/02/2025")


@pytest.mark.parametrize(
    "filters, listed",
    [
        ([], ["2024-12", "2025-01"]),
        (["--state", "overdue"], ["2024-12"]),
        (["--kind", "withdrawal_report"], []),
        (["--due-before", "2025-01-06"], ["2024-12"]),
        (["--institution", "Halla Resort Development Co., Ltd."], ["2024-12", "2025-01"]),
        (["--institution", "Songdo Bay Hospitality Co., Ltd."], []),
    ],
)
def test_list_obligations_filters_like_the_api(company, other_company, filters, listed):
    # the open one is due in the future: a state is what is true today (issue 8.9)
    for period, due_on, state in [
        (date(2024, 12, 1), date(2025, 1, 6), "overdue"),
        (date(2025, 1, 1), timezone.localdate() + timedelta(days=30), "due"),
    ]:
        notice_obligation(company, period=period, due_on=due_on, state=state)
    lines = run("list_obligations", *filters).splitlines()
    assert lines[0].split()[:3] == ["ID", "KIND", "INSTITUTION"]
    months = [t for line in lines[1:-1] for t in line.split() if t in {"2024-12", "2025-01"}]
    assert months == listed
    assert lines[-1] == f"{len(listed)} obligation{'s' if len(listed) != 1 else ''}"


def test_list_obligations_names_an_unknown_institution():
    with pytest.raises(CommandError, match="No organisation"):
        run("list_obligations", "--institution", "Nobody Ltd.")
