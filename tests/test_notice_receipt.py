"""The printable receipt of a submitted monthly notice (SPEC §5.2 "Submission gives a receipt
(number, time, digest of the content)"; issue 11.5): a PDF with the receipt number, the
institution, the office, the month, when and by whom it was submitted and the figures, made by
the same renderer as the withdrawal letter. A draft has none; another organisation's is 404."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from reporting import letters, notices
from tests.factories import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(company, jeju_ledger):
    """company.jeju's tourism notice for 2025-02 (the month of its sale), submitted."""
    notice = notices.compute_notice(
        by=company, program="tourism", period=notices.parse_month("2025-02")
    )
    notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
    notice.refresh_from_db()
    return notice


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_receipt_names_number_institution_office_month_submitter_and_figures(
    submitted, company
):
    text = text_of(letters.render_receipt_html(submitted))
    assert submitted.receipt_number in text
    assert submitted.institution.name in text
    assert submitted.recipient_office.name in text
    assert "2025-02" in text
    assert company.username in text or company.get_full_name() in text
    assert submitted.digest in text
    # the figures: one investment to date, KRW 1,000,000,000 paid, one repayment in the month
    assert re.search(r"Number of investments 0 1", text)
    assert re.search(r"Repayments \(count\) 1 1", text)


def test_the_receipt_pdf_is_served_to_who_sees_the_notice_and_only_once_submitted(
    client, company, other_company, officer, submitted
):
    url = reverse("notice-receipt-pdf", args=[submitted.pk])
    response = as_user(client, company).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert submitted.receipt_number in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert as_user(client, officer).get(url).status_code == 200
    assert as_user(client, other_company).get(url).status_code == 404

    page = as_user(client, company).get(reverse("notice-detail", args=[submitted.pk]))
    assert url in page.content.decode()


def test_a_draft_has_no_receipt(client, company, jeju_ledger):
    draft = notices.compute_notice(
        by=company, program="tourism", period=notices.parse_month("2025-03")
    )
    url = reverse("notice-receipt-pdf", args=[draft.pk])
    assert as_user(client, company).get(url).status_code == 404
    page = client.get(reverse("notice-detail", args=[draft.pk])).content.decode()
    assert url not in page


@pytest.mark.skipif(
    not Path(letters.DEFAULT_LETTER_PDF_FONT).is_file(), reason="fonts-nanum is not installed"
)
def test_the_receipt_pdf_embeds_the_hangul_font(submitted):
    assert b"NanumGothic" in letters.render_receipt_pdf(submitted)
