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
from tests.factories import as_user, recorded_relative

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
    recorded_relative(company, jeju_ledger.investor, "executive", "PARK Director", date(1960, 1, 1))
    page = as_user(client, company).get(reverse("investor-detail", args=[jeju_ledger.investor.pk]))
    row = page.content.decode().split("<td>PARK Director")[1].split("</tr>")[0]
    assert "F-2-81" not in row


def test_only_the_owner_records_a_relative_and_a_future_birth_is_refused(
    client, company, other_company, jeju_ledger
):
    with pytest.raises(ValidationError):
        recorded_relative(other_company, jeju_ledger.investor, "child", "X", date(2010, 1, 1))
    with pytest.raises(ValidationError) as refused:
        recorded_relative(company, jeju_ledger.investor, "child", "WANG Xiao", date(2999, 1, 1))
    assert "date_of_birth" in refused.value.message_dict
    url = reverse("relative-new", args=[jeju_ledger.investor.pk])
    assert as_user(client, other_company).get(url).status_code == 404


# --- after the investor's F-5: F-2-3 (seed F-2 table, "Spouse and Minor Children of Permanent
# Residents"; §7.S(3)) ----------------------------------------------------------------------


def family_row(client, user, investor, name):
    page = as_user(client, user).get(reverse("investor-detail", args=[investor.pk]))
    return page.content.decode().split(f"<td>{name}")[1].split("</tr>")[0]


@pytest.fixture
def permanent_family(company, officer, jeju_ledger):
    """jeju_ledger's investor with a spouse, a minor child and an adult child, granted F-5."""
    investor = jeju_ledger.investor
    for relation, name, born in [
        ("spouse", "LI Na", date(1978, 2, 3)),
        ("child", "WANG Xiao", date(2015, 6, 1)),
        ("child", "WANG Da", date(2000, 6, 1)),
    ]:
        recorded_relative(company, investor, relation, name, born)
    return investor


def test_before_f5_the_family_gets_the_program_code(client, company, permanent_family):
    """Seed §6 heading: the family of a tourism investor is F-2-81, children with no end day."""
    row = family_row(client, company, permanent_family, "WANG Da")
    assert "F-2-81" in row and "F-2-3" not in row and "until" not in row


def test_after_f5_spouse_and_minor_child_get_f_2_3_adult_child_none(
    client, company, officer, permanent_family
):
    """Seed F-2 table, F-2-3 "Spouse and Minor Children of Permanent Residents": once the
    investor holds F-5 the family code is F-2-3; a minor child keeps it until the day before
    turning 19 (Civil Act art. 4); an adult child gets none."""
    services.grant_status(
        by=officer, investor=permanent_family, code="F-5-17", granted_on=date(2025, 1, 6)
    )
    spouse = family_row(client, company, permanent_family, "LI Na")
    assert "F-2-3" in spouse and "F-2-81" not in spouse and "until" not in spouse
    minor = family_row(client, company, permanent_family, "WANG Xiao")
    assert "F-2-3" in minor and "until 2034-05-31" in minor
    adult = family_row(client, company, permanent_family, "WANG Da")
    assert "F-2-3" not in adult and "F-2-81" not in adult


def test_the_age_of_majority_is_a_rule_setting(client, company, officer, permanent_family):
    """Civil Act art. 4 sets majority at 19; HQ may change the row, and the page follows."""
    from investments.models import RuleSetting

    services.grant_status(
        by=officer, investor=permanent_family, code="F-5-17", granted_on=date(2025, 1, 6)
    )
    RuleSetting.objects.filter(key="age_of_majority").update(value=20)
    minor = family_row(client, company, permanent_family, "WANG Xiao")
    assert "until 2035-05-31" in minor


def test_the_spouse_comes_first_then_the_children_eldest_first(client, company, permanent_family):
    page = (
        as_user(client, company)
        .get(reverse("investor-detail", args=[permanent_family.pk]))
        .content.decode()
    )
    order = [page.index(f"<td>{name}") for name in ("LI Na", "WANG Da", "WANG Xiao")]
    assert order == sorted(order)
