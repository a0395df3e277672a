"""Issue 11 ("Daily use"): a yes/no filter's blank choice reads "All" / "전체", as every other
filter's does, not django-filter's "Unknown" / "알 수 없음", which reads as a third value."""

import re

import django_filters
import pytest
from django.urls import reverse

from investments import filters as ledger_filters
from investments.filters import AllYesNo
from reporting import filters as reporting_filters
from reporting.api import filings, notices
from tests.factories import as_user
from tests.factories import client as register_client

pytestmark = pytest.mark.django_db

FILTERSETS = [
    value
    for module in (ledger_filters, reporting_filters, filings, notices)
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, django_filters.FilterSet)
    and value.__module__ == module.__name__
]


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda f: f.__name__)
def test_every_yes_no_filter_has_all_as_its_blank_choice(filterset):
    booleans = {
        name: f
        for name, f in filterset.base_filters.items()
        if isinstance(f, django_filters.BooleanFilter)
    }
    for name, declared in booleans.items():
        assert declared.extra.get("widget") is AllYesNo, f"{filterset.__name__}.{name}"


def test_the_yes_no_filters_still_filter_as_the_api_asks():
    field = ledger_filters.InvestorFilter.base_filters["merged"].field
    assert field.widget.value_from_datadict({"merged": "true"}, {}, "merged") is True
    assert field.widget.value_from_datadict({"merged": "false"}, {}, "merged") is False
    assert field.widget.value_from_datadict({}, {}, "merged") is None


def merged_options(page):
    select = re.search(r'<select name="merged"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the investors page draws the Merged filter"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


@pytest.mark.parametrize(
    "language, expected",
    [("en", ["All", "Yes", "No"]), ("ko", ["전체", "예", "아니요"])],
)
def test_the_investors_merged_filter_reads_all(client, company, language, expected):
    register_client(company)
    web = as_user(client, company, language=language)
    page = web.get(reverse("investor-list")).content.decode()
    assert merged_options(page) == expected
