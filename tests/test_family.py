"""Family members (issue 11, item 4): an institution records a spouse or unmarried child of
its client through ``record_relative``, and the investor page shows the family status each
may be granted under the programs the investor has invested in — read from the status-code
reference rows whose role is family: F-2-81 for tourism (seed §6 heading), F-2-13 for public
interest (seed §7 heading, §7.S(3)). Executives and shareholders get none."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from investments import services
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def test_a_spouse_recorded_on_the_page_is_shown_with_f_2_81(client, company, jeju_ledger):
    investor = jeju_ledger.investor
    url = reverse("relative-new", args=[investor.pk])
    response = as_user(client, company).post(
        url,
        {
            "relation": "spouse",
            "full_name": "LI Na",
            "nationality": "CN",
            "date_of_birth": "1978-02-03",
            "passport_number": "E11112222",
        },
    )
    assert response.status_code == 302
    relative = investor.related_persons.get()
    assert relative.full_name == "LI Na"
    assert relative.history.latest("history_date").history_change_reason == "record_relative"

    page = client.get(reverse("investor-detail", args=[investor.pk])).content.decode()
    row = page.split("<td>LI Na")[1].split("</tr>")[0]
    assert "Spouse" in row and "F-2-81" in row and "F-2-13" not in row


def test_an_executive_gets_no_family_status(client, company, jeju_ledger):
    services.record_relative(
        by=company,
        investor=jeju_ledger.investor,
        relation="executive",
        full_name="PARK Director",
        nationality="CN",
        date_of_birth=date(1960, 1, 1),
    )
    page = as_user(client, company).get(reverse("investor-detail", args=[jeju_ledger.investor.pk]))
    row = page.content.decode().split("<td>PARK Director")[1].split("</tr>")[0]
    assert "F-2-81" not in row


def test_only_the_owner_records_a_relative_and_a_future_birth_is_refused(
    client, company, other_company, jeju_ledger
):
    with pytest.raises(ValidationError):
        services.record_relative(
            by=other_company,
            investor=jeju_ledger.investor,
            relation="child",
            full_name="X",
            nationality="CN",
            date_of_birth=date(2010, 1, 1),
        )
    with pytest.raises(ValidationError) as refused:
        services.record_relative(
            by=company,
            investor=jeju_ledger.investor,
            relation="child",
            full_name="WANG Xiao",
            nationality="CN",
            date_of_birth=date(2999, 1, 1),
        )
    assert "date_of_birth" in refused.value.message_dict
    url = reverse("relative-new", args=[jeju_ledger.investor.pk])
    assert as_user(client, other_company).get(url).status_code == 404
