"""The daily sweep (SPEC §6): overdue obligations are marked, institutions are reminded 7 and 2
days before and on the due day, offices are alerted about overdue reports — each mail once,
however often the sweep runs. Monthly drafts are computed for every institution and program."""

from datetime import UTC, date, datetime, time, timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail

from investments.models import RuleSetting
from reporting import notifications, sweep
from reporting.models import Obligation
from tests.factories import jeju_investment, notice_obligation, recovered

pytestmark = pytest.mark.django_db

RECOVERED_ON = date(2025, 2, 3)  # a Monday; 14 days later is Monday 2025-02-17 (R5)
DUE_ON = date(2025, 2, 17)
COMPANY_USER = "minjun.kim@halla.example"
COMPANY_DESK = "reports@halla.example"
JEJU_OFFICER = "officer@jeju.example"
SEJONGNO_OFFICER = "officer@sejongno.example"


def korean_morning(day):
    """06:00 in Seoul on ``day`` (21:00 UTC the day before): when the beat runs the sweep."""
    return time_machine.travel(datetime.combine(day, time(6), tzinfo=sweep.KOREA), tick=False)


def sweep_on(day):
    with korean_morning(day):
        return sweep.daily_sweep()


@pytest.fixture
def mailboxes(company, officer, officer_sejongno):
    company.email = COMPANY_USER
    company.save()
    company.organisation.email = COMPANY_DESK
    company.organisation.save()
    officer.email = JEJU_OFFICER
    officer.save()
    officer_sejongno.email = SEJONGNO_OFFICER
    officer_sejongno.save()


@pytest.fixture
def obligation(company, mailboxes):
    """company.jeju's withdrawal report for a recovery of 2025-02-03, due 2025-02-17."""
    investment = jeju_investment(company)
    recovery = recovered(company, RECOVERED_ON, investment=investment)
    assert recovery.obligation.due_on == DUE_ON
    return recovery.obligation


def notified(obligation):
    """The notifications recorded for ``obligation``, in the order they were sent."""
    return list(obligation.notifications.order_by("pk").values_list("kind", flat=True))


# --- reminders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days_before, kind",
    [
        (8, None),
        (7, "reminder_first"),
        (5, "reminder_first"),  # a sweep missed on day 7 is caught up, not lost
        (3, "reminder_first"),
        (2, "reminder_second"),
        (1, "reminder_second"),
        (0, "due_today"),
    ],
)
def test_reminder_sent_depends_on_the_days_left(obligation, mailoutbox, days_before, kind):
    summary = sweep_on(DUE_ON - timedelta(days=days_before))
    assert notified(obligation) == ([kind] if kind else [])
    assert len(mailoutbox) == summary["reminders_sent"] == (1 if kind else 0)


def test_first_reminder_goes_to_the_institution_once(obligation, mailoutbox):
    sweep_on(date(2025, 2, 10))
    [message] = mailoutbox
    assert message.to == [COMPANY_USER, COMPANY_DESK]
    assert "2025-02-17" in message.subject
    assert "D-7" in message.subject
    notification = obligation.notifications.get()
    assert notification.kind == "reminder_first"
    assert notification.recipients == f"{COMPANY_USER}, {COMPANY_DESK}"

    assert sweep_on(date(2025, 2, 10))["reminders_sent"] == 0
    assert sweep_on(date(2025, 2, 11))["reminders_sent"] == 0
    assert len(mailoutbox) == 1


def test_the_whole_timeline_sends_three_reminders_then_one_alert(obligation, mailoutbox):
    day = RECOVERED_ON
    while day <= DUE_ON + timedelta(days=5):
        sweep_on(day)
        day += timedelta(days=1)
    assert notified(obligation) == [
        "reminder_first",
        "reminder_second",
        "due_today",
        "overdue_alert",
    ]
    assert [m.to for m in mailoutbox] == [[COMPANY_USER, COMPANY_DESK]] * 3 + [[JEJU_OFFICER]]
    obligation.refresh_from_db()
    assert obligation.state == "overdue"


def test_a_filed_obligation_gets_no_reminder_and_never_goes_overdue(obligation, mailoutbox):
    Obligation.objects.filter(pk=obligation.pk).update(
        state="filed_on_time", filed_on=date(2025, 2, 5)
    )
    for day in [date(2025, 2, 10), DUE_ON, DUE_ON + timedelta(days=1)]:
        sweep_on(day)
    obligation.refresh_from_db()
    assert obligation.state == "filed_on_time"
    assert mailoutbox == []


def test_the_reminder_days_come_from_the_rule_settings(obligation, mailoutbox):
    RuleSetting.objects.filter(key="reminder_days_first").update(value=10)
    sweep_on(DUE_ON - timedelta(days=10))
    assert notified(obligation) == ["reminder_first"]


def test_users_without_address_or_inactive_get_nothing(obligation, company, mailoutbox):
    company.is_active = False
    company.save()
    assert notifications.institution_recipients(obligation.institution) == [COMPANY_DESK]
    company.organisation.email = ""
    company.organisation.save()
    summary = sweep_on(DUE_ON)
    assert summary["without_recipients"] == 1
    assert mailoutbox == []
    assert notified(obligation) == []  # not recorded: sent once an address exists


# --- the outbox (issue 9.8): recorded before sending, never sent twice --------------------------

FIRST_REMINDER_DAY = DUE_ON - timedelta(days=7)


def sent(obligation):
    """The notifications of ``obligation`` marked sent."""
    return list(
        obligation.notifications.filter(sent_at__isnull=False)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


class Crash(BaseException):
    """The process dies: not an error the sweep could catch and carry on from."""


def refusing(calls):
    def refuse(self, fail_silently=False):
        calls.append(self.subject)
        raise SMTPException("relay down")

    return refuse


def test_a_failed_send_stays_recorded_and_is_not_sent_again_the_same_morning(
    obligation, mailoutbox, monkeypatch
):
    calls = []
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", refusing(calls))
        assert sweep_on(FIRST_REMINDER_DAY)["failed"] == 1
    assert notified(obligation) == ["reminder_first"]  # recorded before sending
    assert sent(obligation) == []

    # The sweep runs again a few minutes later (a retried task, a second worker): the row is
    # there, inside its grace period, and nothing is sent.
    with time_machine.travel(
        datetime.combine(FIRST_REMINDER_DAY, time(6, 30), tzinfo=sweep.KOREA), tick=False
    ):
        summary = sweep.daily_sweep()
    assert summary["reminders_sent"] == 0
    assert summary["unsent_waiting"] == 1
    assert mailoutbox == []
    assert len(calls) == 1


def test_an_unsent_notification_is_retried_once_after_the_grace_period(
    obligation, mailoutbox, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", refusing([]))
        sweep_on(FIRST_REMINDER_DAY)

    summary = sweep_on(FIRST_REMINDER_DAY + timedelta(days=1))
    assert summary["reminders_sent"] == 1
    assert len(mailoutbox) == 1
    assert sent(obligation) == ["reminder_first"]
    assert obligation.notifications.get().attempts == 2

    assert sweep_on(FIRST_REMINDER_DAY + timedelta(days=2))["reminders_sent"] == 0
    assert len(mailoutbox) == 1


def test_a_notification_whose_retry_fails_too_is_left_alone(obligation, mailoutbox, monkeypatch):
    calls = []
    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", refusing(calls))
        sweep_on(FIRST_REMINDER_DAY)
        sweep_on(FIRST_REMINDER_DAY + timedelta(days=1))
        sweep_on(FIRST_REMINDER_DAY + timedelta(days=2))
    assert len(calls) == 2  # the first try and one retry
    assert sent(obligation) == []
    assert obligation.notifications.get().attempts == 2
    sweep_on(FIRST_REMINDER_DAY + timedelta(days=3))
    assert mailoutbox == []


def test_a_crash_between_recording_and_sending_sends_nothing_twice(
    obligation, mailoutbox, monkeypatch
):
    def die(kind, obligation, **kwargs):
        raise Crash

    with monkeypatch.context() as patch, pytest.raises(Crash):
        patch.setattr(notifications, "send", die)
        sweep_on(FIRST_REMINDER_DAY)
    assert notified(obligation) == ["reminder_first"]  # the record survived the crash

    assert sweep_on(FIRST_REMINDER_DAY)["unsent_waiting"] == 1
    assert mailoutbox == []


def test_a_sent_notification_is_marked_sent_with_its_day(obligation, mailoutbox):
    sweep_on(FIRST_REMINDER_DAY)
    notification = obligation.notifications.get()
    assert notification.sent_at is not None
    assert notification.recorded_at <= notification.sent_at
    assert notification.day == FIRST_REMINDER_DAY
    assert notification.attempts == 1


# --- overdue --------------------------------------------------------------------------------


def test_the_due_day_itself_is_not_overdue(obligation):
    assert sweep.mark_overdue(today=DUE_ON) == 0
    obligation.refresh_from_db()
    assert obligation.state == "due"


def test_mark_overdue_is_idempotent(obligation):
    day_after = DUE_ON + timedelta(days=1)
    assert sweep.mark_overdue(today=day_after) == 1
    assert sweep.mark_overdue(today=day_after) == 0
    obligation.refresh_from_db()
    assert obligation.state == "overdue"


def test_the_day_after_due_the_office_is_alerted_once(obligation, mailoutbox):
    summary = sweep_on(DUE_ON + timedelta(days=1))
    assert summary["marked_overdue"] == 1
    assert summary["overdue_alerts_sent"] == 1
    [alert] = mailoutbox
    assert alert.to == [JEJU_OFFICER]  # officer.jeju's office, not Sejongno
    assert "기한 경과" in alert.subject
    assert "1일 경과" in alert.subject
    assert notified(obligation) == ["overdue_alert"]

    assert sweep_on(DUE_ON + timedelta(days=2))["overdue_alerts_sent"] == 0
    assert len(mailoutbox) == 1


def test_the_korean_day_decides_not_the_utc_one(obligation):
    # 2025-02-17 23:30 UTC is already the 18th in Seoul: the report is overdue there.
    with time_machine.travel(datetime(2025, 2, 17, 23, 30, tzinfo=UTC), tick=False):
        assert sweep.daily_sweep()["marked_overdue"] == 1


# --- mail texts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, language, today, words",
    [
        (
            "reminder_first",
            "ko",
            date(2025, 2, 10),
            ["투자금 회수 신고", "ZHANG Wei", "2025-02-03", "2025-02-17", "7일 남음", "제주출입국"],
        ),
        (
            "reminder_first",
            "en",
            date(2025, 2, 10),
            ["Withdrawal report", "ZHANG Wei", "2025-02-03", "2025-02-17", "7 days left", "Jeju"],
        ),
        ("due_today", "ko", DUE_ON, ["오늘 마감", "200,000,000원"]),
        ("due_today", "en", DUE_ON, ["due today", "KRW 200,000,000"]),
        ("overdue_alert", "ko", date(2025, 2, 20), ["기한 경과", "3일 경과", "제재"]),
        ("overdue_alert", "en", date(2025, 2, 20), ["Overdue", "3 days overdue", "sanction"]),
    ],
)
def test_mails_are_written_in_the_recipients_language(obligation, kind, language, today, words):
    subject, body = notifications.render(kind, obligation, today=today, language=language)
    text = subject + "\n" + body
    for word in [*words, "Halla Resort Development", "http://127.0.0.1:8000/"]:
        assert word in text
    assert "\n" not in subject


@pytest.mark.parametrize(
    "kind, path",
    [
        ("reminder_first", "/deadlines/{obligation}/file/"),  # the filing form
        ("overdue_alert", "/deadlines/?institution={institution}&state=due"),  # the office's list
    ],
)
def test_mails_link_to_the_page_to_act_on(obligation, settings, kind, path):
    settings.PORTAL_BASE_URL = "https://portal.example.go.kr/"
    _, body = notifications.render(kind, obligation, today=date(2025, 2, 10), language="en")
    url = "https://portal.example.go.kr" + path.format(
        obligation=obligation.pk, institution=obligation.institution_id
    )
    assert url in body.split()


def test_a_monthly_notice_reminder_names_the_month(company):
    obligation = notice_obligation(company)
    ko, body = notifications.render(
        "reminder_second", obligation, today=date(2025, 2, 3), language="ko"
    )
    en, _ = notifications.render(
        "reminder_second", obligation, today=date(2025, 2, 3), language="en"
    )
    assert "2025-01 월별 현황 통보" in ko and "D-2" in ko
    assert "Monthly status notice 2025-01" in en and "2 days left" in en
    assert "http://127.0.0.1:8000/notices/" in body.split()  # no draft yet: the notice list


def test_a_language_without_templates_falls_back_to_english(obligation):
    subject, _ = notifications.render(
        "reminder_first", obligation, today=date(2025, 2, 10), language="zh-hans"
    )
    assert "Withdrawal report" in subject


def test_institutions_read_the_site_language_and_offices_korean(obligation, mailoutbox, settings):
    settings.LANGUAGE_CODE = "en"
    sweep_on(DUE_ON)
    sweep_on(DUE_ON + timedelta(days=1))
    reminder, alert = mailoutbox
    assert "due today" in reminder.subject
    assert "기한 경과" in alert.subject


def test_the_language_can_be_chosen_per_run(obligation, mailoutbox):
    sweep.send_reminders(today=DUE_ON, language="en")
    sweep.mark_overdue(today=DUE_ON + timedelta(days=1))
    sweep.alert_overdue(today=DUE_ON + timedelta(days=1), language="en")
    reminder, alert = mailoutbox
    assert "Withdrawal report" in reminder.subject
    assert "Overdue" in alert.subject
