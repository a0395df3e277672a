"""The office's review of a submitted monthly notice (issue 11, item 2): the officer of the
notice's recipient office (or of the office it is a branch of) or HQ acknowledges it or returns
it with a reason (``notices.review_notice``); the institution sees a returned notice on its
dashboard and answers it with an amendment, which waits for review again once submitted. The
same decision is an API action on the notice, as on a withdrawal report.

The ledger is ``jeju_ledger`` (company.jeju, tourism, routed to the Jeju office)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from portal.models import Event
from reporting import notices, review_queue
from tests.factories import as_user, on, submitted_notice

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2024, 9, 1)
URL = "/api/v1/monthly-notices/"


@pytest.fixture
def notice(jeju_ledger, company):
    with on(date(2024, 10, 2)):
        return submitted_notice(company, program="tourism", period=SEPTEMBER)


def test_a_submitted_notice_awaits_review_of_its_own_office_and_hq(
    notice, officer, officer_sejongno, hq
):
    assert review_queue.notice_counts(officer) == {"awaiting": 1, "returned": 0}
    assert review_queue.notice_counts(hq)["awaiting"] == 1
    assert review_queue.notice_counts(officer_sejongno)["awaiting"] == 0
    with pytest.raises(ValidationError) as refused:
        notices.review_notice(by=officer_sejongno, notice=notice, decision="acknowledged")
    assert "notice" in refused.value.message_dict


def test_only_officers_and_hq_review_and_a_return_needs_its_reason(notice, company, officer):
    with pytest.raises(PermissionDenied):
        notices.review_notice(by=company, notice=notice, decision="acknowledged")
    with pytest.raises(ValidationError) as refused:
        notices.review_notice(by=officer, notice=notice, decision="returned", note="  ")
    assert "note" in refused.value.message_dict
    assert not notice.reviews.exists()


def test_a_returned_notice_is_amended_and_waits_for_review_again(client, notice, company, officer):
    review = notices.review_notice(
        by=officer, notice=notice, decision="returned", note="Count the May contract."
    )
    assert review.notice == notice and review.reviewed_by == officer
    assert review_queue.notice_counts(officer) == {"awaiting": 0, "returned": 1}
    assert Event.objects.filter(verb="review_notice", object_id=review.pk).exists()

    page = as_user(client, company).get(reverse("institution-dashboard")).content.decode()
    assert "Notices returned by the office" in page and "Count the May contract." in page
    assert reverse("notice-detail", args=[notice.pk]) in page

    with on(date(2024, 10, 3)):
        draft = notices.amend_notice(by=company, notice=notice)
        notices.submit_notice(by=company, notice=draft, confirm_warnings=True)
    assert review_queue.notice_counts(officer) == {"awaiting": 1, "returned": 0}
    page = as_user(client, company).get(reverse("institution-dashboard")).content.decode()
    assert "Notices returned by the office" not in page
    # the superseded version is no longer reviewable
    notice.refresh_from_db()
    with pytest.raises(ValidationError):
        notices.review_notice(by=officer, notice=notice, decision="acknowledged")


def test_the_queue_lists_notices_and_acknowledges_in_one_click(client, notice, officer):
    office = as_user(client, officer)
    dashboard = office.get(reverse("office-dashboard")).content.decode()
    assert "Notices awaiting review" in dashboard
    assert f"{reverse('review-queue')}?kind=notices" in dashboard

    reports = office.get(reverse("review-queue")).content.decode()
    assert reverse("notice-detail", args=[notice.pk]) not in reports
    queue = office.get(reverse("review-queue"), {"kind": "notices"}).content.decode()
    assert reverse("notice-review", args=[notice.pk]) in queue
    assert notice.receipt_number in queue

    done = office.post(
        reverse("notice-review", args=[notice.pk]),
        {"decision": "acknowledged", "back": "queue", "query": "kind=notices&next=//evil"},
    )
    assert done.status_code == 302
    assert done["Location"] == f"{reverse('review-queue')}?kind=notices"
    assert notice.reviews.get().state == "acknowledged"
    queue = office.get(reverse("review-queue"), {"kind": "notices"}).content.decode()
    assert reverse("notice-review", args=[notice.pk]) not in queue
    seen = office.get(reverse("review-queue"), {"kind": "notices", "status": "acknowledged"})
    assert reverse("notice-detail", args=[notice.pk]) in seen.content.decode()


def test_the_notice_page_shows_the_review_and_the_officers_form(client, notice, company, officer):
    url = reverse("notice-detail", args=[notice.pk])
    assert reverse("notice-review", args=[notice.pk]) in (
        as_user(client, officer).get(url).content.decode()
    )
    refused = as_user(client, officer).post(
        reverse("notice-review", args=[notice.pk]), {"decision": "returned"}
    )
    assert refused.status_code == 400
    notices.review_notice(by=officer, notice=notice, decision="returned", note="Fix the total.")
    page = as_user(client, company).get(url).content.decode()
    assert "Fix the total." in page
    assert reverse("notice-review", args=[notice.pk]) not in page
    assert (
        as_user(client, company)
        .post(reverse("notice-review", args=[notice.pk]), {"decision": "acknowledged"})
        .status_code
        == 403
    )


def test_the_api_exposes_the_review_and_its_action(api, notice, company, officer):
    path = f"{URL}{notice.pk}/review/"
    assert api.as_user(company).post(path, {"decision": "acknowledged"}).status_code == 403
    assert api.as_user(officer).get(f"{URL}{notice.pk}/").data["latest_review"] is None
    refused = api.as_user(officer).post(path, {"decision": "returned"}, format="json")
    assert refused.status_code == 400 and "note" in refused.data
    made = api.as_user(officer).post(
        path, {"decision": "returned", "note": "Fix the total."}, format="json"
    )
    assert made.status_code == 201, made.data
    assert made.data["notice"] == notice.pk and made.data["decision"] == "returned"
    latest = api.as_user(company).get(f"{URL}{notice.pk}/").data["latest_review"]
    assert (latest["decision"], latest["note"], latest["reviewed_by"]) == (
        "returned",
        "Fix the total.",
        officer.username,
    )
    schema = api.as_user(officer).get("/api/v1/schema/?format=json").json()
    assert "post" in schema["paths"][f"{URL}{{id}}/review/"]
