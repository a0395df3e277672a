"""The monthly notice's residence columns (seed §6.H, §7.F, §7.S): the prescribed form has F-1 /
F-2 (tourism) and C-3 / F-2 (public interest). The F-5 column after them (investors who reached
permanent residence) is our [decision], the rule setting ``notice_f5_column`` HQ edits in the
admin (seeds/rules.json; docs/rules.md). Each case changes the setting and asks the public API,
the workbook and the recheck of submitted notices, which must all agree.
"""

from datetime import date

import pytest

from investments.models import RuleSetting
from reporting import notices
from reporting.exports.notice import notice_book
from tests import xlsx_support

pytestmark = pytest.mark.django_db

URL = "/api/v1/monthly-notices/"


def show_f5(value):
    RuleSetting.objects.filter(key="notice_f5_column").update(value=value)


def computed(api, user, period, program):
    response = api.as_user(user).post(URL, {"period": period, "program": program}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def residence_headers(notice):
    """The residence types of the workbook's second header row ("F-1 신규 New", …), in order
    and once each."""
    book = xlsx_support.workbook(notice_book(notice).sheets)
    second = xlsx_support.rows(book["Notice"])[1]
    types = [str(cell).split()[0] for cell in second if cell]
    return list(dict.fromkeys(t for t in types if t in {"C-3", "F-1", "F-2", "F-5"}))


def test_the_seeded_setting_shows_the_f5_column_and_says_why():
    row = RuleSetting.objects.get(key="notice_f5_column")
    assert row.value == 1
    assert "[decision]" in row.source and "§6.H" in row.source


@pytest.mark.parametrize(
    ("value", "tourism", "public_interest"),
    [
        (1, ["F-1", "F-2", "F-5"], ["C-3", "F-2", "F-5"]),
        (0, ["F-1", "F-2"], ["C-3", "F-2"]),  # the form alone (seed §6.H, §7.F)
    ],
)
def test_the_setting_decides_the_residence_columns_of_the_api(
    api, company, kdb, jeju_ledger, kdb_ledger, value, tourism, public_interest
):
    show_f5(value)
    assert list(computed(api, company, "2024-09", "tourism")["figures"]["residence"]) == tourism
    kdb_notice = computed(api, kdb, "2025-01", "public_interest")
    assert list(kdb_notice["figures"]["residence"]) == public_interest


@pytest.mark.parametrize("value", [1, 0])
def test_the_workbook_has_the_columns_of_the_notice(company, jeju_ledger, value):
    show_f5(value)
    notice = notices.compute_notice(by=company, program="tourism", period=date(2024, 9, 1))
    assert residence_headers(notice) == (["F-1", "F-2", "F-5"] if value else ["F-1", "F-2"])


@pytest.mark.parametrize("value", [1, 0])
def test_the_recheck_of_submitted_notices_counts_the_same_columns(company, jeju_ledger, value):
    """The batch path that rechecks submitted notices after a ledger change must compute what
    a notice computed alone says, or every notice would be flagged for amendment."""
    show_f5(value)
    period = date(2024, 9, 1)
    alone = notices.compute_notice(by=company, program="tourism", period=period)
    batch = notices.notice_history(
        period, period, institution=company.organisation_id, program="tourism"
    )
    key = (company.organisation_id, "tourism", alone.recipient_office_id, period)
    assert batch[key]["residence"] == alone.figures["residence"]
