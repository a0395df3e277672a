"""Each user's in-portal notification list (issue 11, item 2): a message for every active user
of the organisation when its report or notice is returned or acknowledged, when a new
obligation opens for it and when a reminder is sent; stored as a message id and parameters
and read in the reader's language; each user sees only their own, marks one or all read, and
the header shows the unread count."""

from datetime import date

import pytest
from django.urls import reverse

from portal.models import User
from reporting import filings, inbox, notices, sweep
from reporting.models import InboxItem, Obligation
from tests import factories
from tests.factories import as_user, on, recovered, submitted_notice

pytestmark = pytest.mark.django_db

M = 1_000_000
ADDRESS = "desk@jeju-resort.example"


@pytest.fixture(autouse=True)
def addresses(company):
    """company.jeju's user has an e-mail address, so its mail has a recipient."""
    company.email = ADDRESS
    company.save(update_fields=["email"])


def a_recovery(company):
    investment = factories.jeju_investment(
        company,
        passport="E12345678",
        contract_date=date(2024, 3, 4),
        unit_number="U-5678",
        registered_on=date(2024, 3, 4),
    )
    return recovered(company, date(2025, 9, 19), amount_krw=100 * M, investment=investment)


def test_a_new_obligation_tells_every_user_of_the_institution_once(company, other_company):
    colleague = User.objects.create_user(
        "clerk.jeju", password="x", organisation=company.organisation
    )
    with on(date(2025, 9, 22)):
        recovery = a_recovery(company)
    obligation = Obligation.objects.get(recovery=recovery)
    for user in (company, colleague):
        item = InboxItem.objects.visible_to(user).get()
        assert (item.message, item.key) == ("report_due", f"opened:{obligation.pk}")
        assert item.link == reverse("report-file", args=[obligation.pk])
    assert not InboxItem.objects.visible_to(other_company).exists()
    inbox.opened(obligation)  # a re-run adds nothing
    assert InboxItem.objects.filter(user=company).count() == 1


def test_messages_are_read_in_the_readers_language(company, officer):
    with on(date(2025, 9, 22)):
        report = filings.file_report(
            by=company, obligation=Obligation.objects.get(recovery=a_recovery(company))
        )
        filings.review_report(by=officer, report=report, decision="returned", note="이름 보완")
    item = InboxItem.objects.visible_to(company).get(message="report_returned")
    assert item.params["note"] == "이름 보완" and item.params["version"] == 1
    english = inbox.text(item, "en")
    korean = inbox.text(item, "ko")
    assert english.startswith("The office returned withdrawal report WR-")
    assert "이름 보완" in korean and "returned" not in korean


def test_a_notice_review_names_the_office_in_the_readers_language(
    client, jeju_ledger, company, officer
):
    with on(date(2024, 10, 2)):
        notice = submitted_notice(company, program="tourism", period=date(2024, 9, 1))
    notices.review_notice(by=officer, notice=notice, decision="acknowledged")
    item = InboxItem.objects.visible_to(company).get(message="notice_acknowledged")
    office = notice.recipient_office
    assert office.name in inbox.text(item, "en")
    assert (office.name_ko or office.name) in inbox.text(item, "ko")
    assert item.link == reverse("notice-detail", args=[notice.pk])
    page = as_user(client, company).get(reverse("inbox")).content.decode()
    assert f"{office.name} acknowledged the monthly notice for 2024-09" in page


def test_a_sent_reminder_is_in_the_list(company, mailoutbox):
    obligation = factories.notice_obligation(company, due_on=date(2025, 2, 5))
    sweep.send_reminders(today=date(2025, 2, 5))
    assert len(mailoutbox) == 1
    item = InboxItem.objects.visible_to(company).get(message="reminder")
    assert item.key == f"due_today:{obligation.pk}"
    assert "monthly notice due by 2025-02-05" in inbox.text(item, "en")
    sweep.send_reminders(today=date(2025, 2, 5))  # nothing sent twice, nothing added
    assert InboxItem.objects.filter(user=company, message="reminder").count() == 1


def test_the_list_is_the_users_own_and_marks_read(client, company, other_company):
    with on(date(2025, 9, 22)):
        a_recovery(company)
    mine = InboxItem.objects.get(user=company)
    web = as_user(client, company)
    page = web.get(reverse("institution-dashboard")).content.decode()
    assert reverse("inbox") in page and 'class="badge unread">1<' in page

    stranger = as_user(client, other_company)
    assert stranger.get(reverse("inbox")).content.decode().count("WR-") == 0
    assert stranger.post(reverse("inbox-read", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None

    web = as_user(client, company)
    opened = web.post(reverse("inbox-read", args=[mine.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'class="badge unread"' not in web.get(reverse("inbox")).content.decode()


def test_mark_all_read(client, company):
    with on(date(2025, 9, 22)):
        a_recovery(company)
    factories.notice_obligation(company)  # a bare row: no message
    InboxItem.objects.create(user=company, message="notice_due", key="x", params={})
    assert inbox.unread_count(company) == 2
    done = as_user(client, company).post(reverse("inbox-read-all"))
    assert done.status_code == 302 and inbox.unread_count(company) == 0
    assert as_user(client, company).get(reverse("inbox")).status_code == 200
    assert client.logout() is None
    assert client.get(reverse("inbox")).status_code == 302  # sign in first


# --- e-mail on a return and on a new obligation (issue 11.2), once, after commit -----------------


def test_a_new_obligation_is_mailed_once_after_commit(
    company, mailoutbox, django_capture_on_commit_callbacks
):
    with on(date(2025, 9, 22)):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            recovery = a_recovery(company)
        assert mailoutbox == []  # nothing before the commit
        for callback in queued:
            callback()
    obligation = Obligation.objects.get(recovery=recovery)
    opened = [
        m for m in mailoutbox if "New: withdrawal report" in m.subject or "새 신고" in m.subject
    ]
    assert len(opened) == 1
    assert ADDRESS in opened[0].to
    assert reverse("report-file", args=[obligation.pk]) in opened[0].body
    assert sweep.mail_opened(obligation.pk) == "already_sent"  # a re-run sends nothing
    assert len(mailoutbox) == 1


def test_a_return_is_mailed_once_per_return_with_what_to_correct(
    company, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with on(date(2025, 9, 22)):
        report = filings.file_report(
            by=company, obligation=Obligation.objects.get(recovery=a_recovery(company))
        )
        with django_capture_on_commit_callbacks(execute=True):
            filings.review_report(
                by=officer, report=report, decision="returned", note="Give the buyer's name."
            )
        returned = [m for m in mailoutbox if "Give the buyer's name." in m.body]
        assert len(returned) == 1
        assert reverse("report-detail", args=[report.pk]) in returned[0].body
        review = report.reviews.get()
        assert sweep.mail_return(review.pk) == "already_sent"

        amended = filings.amend_report(by=company, report=report, remarks="Buyer: KIM Minsu.")
        with django_capture_on_commit_callbacks(execute=True):
            filings.review_report(by=officer, report=amended, decision="returned", note="Again.")
        assert len([m for m in mailoutbox if "Again." in m.body]) == 1
    assert sweep.mail_return(review.pk) == "already_sent"


def test_an_acknowledgement_is_not_mailed(
    company, officer, mailoutbox, django_capture_on_commit_callbacks
):
    with on(date(2025, 9, 22)):
        report = filings.file_report(
            by=company, obligation=Obligation.objects.get(recovery=a_recovery(company))
        )
        with django_capture_on_commit_callbacks(execute=True) as queued:
            filings.review_report(by=officer, report=report, decision="acknowledged")
    assert queued == [] and mailoutbox == []
