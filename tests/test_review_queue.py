"""The officer's review queue and the institution's returned reports (issue 11, item 2).

A filed withdrawal report waits in the queue of its recipient office until an officer
acknowledges it or returns it with a reason (``filings.review_report``); the office dashboard
counts what awaits review; the institution sees a returned report, with the reason, on its
dashboard. An amendment puts the report back in the queue."""

from datetime import date

import pytest
from django.urls import reverse

from reporting import filings, review_queue
from reporting.models import Obligation
from tests import factories
from tests.factories import as_user, on, recovered

pytestmark = pytest.mark.django_db

M = 1_000_000


def filed_report(company, passport="E12345678"):
    """A recovery of company.jeju's client and its withdrawal report, filed."""
    investment = factories.jeju_investment(
        company,
        passport=passport,
        contract_date=date(2024, 3, 4),
        unit_number=f"U-{passport[-4:]}",
        registered_on=date(2024, 3, 4),
    )
    recovery = recovered(company, date(2025, 9, 19), amount_krw=100 * M, investment=investment)
    obligation = Obligation.objects.get(recovery=recovery)
    return filings.file_report(by=company, obligation=obligation)


def test_a_filed_report_awaits_review_and_leaves_the_queue_when_acknowledged(
    client, company, officer
):
    with on(date(2025, 9, 22)):
        report = filed_report(company)
        assert review_queue.counts(officer) == {"awaiting": 1, "returned": 0}
        office = as_user(client, officer)
        dashboard = office.get(reverse("office-dashboard")).content.decode()
        assert "Awaiting review" in dashboard and reverse("review-queue") in dashboard

        queue = office.get(reverse("review-queue")).content.decode()
        assert reverse("report-detail", args=[report.pk]) in queue
        assert "ZHANG Wei" in queue

        done = office.post(
            reverse("report-review", args=[report.pk]),
            {"decision": "acknowledged", "back": "queue"},
        )
        assert done.status_code == 302 and done["Location"] == reverse("review-queue")
        assert report.reviews.get().state == "acknowledged"
        assert review_queue.counts(officer) == {"awaiting": 0, "returned": 0}
        queue = office.get(reverse("review-queue")).content.decode()
        assert reverse("report-detail", args=[report.pk]) not in queue
        acknowledged = office.get(reverse("review-queue"), {"status": "acknowledged"})
        assert reverse("report-detail", args=[report.pk]) in acknowledged.content.decode()


def test_a_returned_report_is_shown_to_the_company_and_an_amendment_requeues_it(
    client, company, officer
):
    with on(date(2025, 9, 22)):
        report = filed_report(company)
        office = as_user(client, officer)
        refused = office.post(
            reverse("report-review", args=[report.pk]), {"decision": "returned", "back": "queue"}
        )
        assert refused.status_code == 400  # a return needs its reason
        returned = office.post(
            reverse("report-review", args=[report.pk]),
            {"decision": "returned", "note": "Give the buyer's name.", "back": "queue"},
        )
        assert returned["Location"] == reverse("review-queue")
        assert review_queue.counts(officer) == {"awaiting": 0, "returned": 1}

        dashboard = as_user(client, company).get(reverse("institution-dashboard"))
        page = dashboard.content.decode()
        assert "Reports returned by the office" in page
        assert "Give the buyer&#x27;s name." in page
        assert reverse("report-detail", args=[report.pk]) in page

        filings.amend_report(by=company, report=report, remarks="Buyer: KIM Minsu.")
        assert review_queue.counts(officer) == {"awaiting": 1, "returned": 0}
        page = as_user(client, company).get(reverse("institution-dashboard")).content.decode()
        assert "Reports returned by the office" not in page


def test_the_queue_is_the_offices_own_and_filters_by_institution(
    client, company, officer, officer_sejongno, hq, other_company
):
    with on(date(2025, 9, 22)):
        report = filed_report(company)
        assert review_queue.counts(officer_sejongno)["awaiting"] == 0
        assert review_queue.counts(hq)["awaiting"] == 1
        assert company.organisation_id != other_company.organisation_id
        office = as_user(client, officer)
        mine = office.get(reverse("review-queue"), {"institution": company.organisation_id})
        assert reverse("report-detail", args=[report.pk]) in mine.content.decode()
        others = office.get(reverse("review-queue"), {"institution": other_company.organisation_id})
        assert reverse("report-detail", args=[report.pk]) not in others.content.decode()
        assert as_user(client, company).get(reverse("review-queue")).status_code == 403
