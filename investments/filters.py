"""One FilterSet per ledger model, shared by the API, the pages and the exports, so what a
user filters is what a user exports."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.widgets import BooleanWidget

from portal.crypto import keyed_hash

from .models import Investment, Investor, Lapse, Payment, RelatedPerson, StatusGrant


class AllYesNo(BooleanWidget):
    """A yes/no drop-down whose blank choice reads "All", as every other filter's does:
    django-filter's own widget calls it "Unknown", which reads as a third value to filter on.
    It parses ``true``/``false`` as django-filter's does, so the API is unchanged."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


def yes_no_filter(**kwargs):
    """The one way a FilterSet declares a yes/no filter (a model's BooleanField as well:
    declare it, or django-filter draws its own "Unknown" widget)."""
    return filters.BooleanFilter(widget=AllYesNo, **kwargs)


def voided_filter():
    """``?voided=true``: only voided entries; ``false``: only those that count (the default
    of every list)."""
    return yes_no_filter(
        field_name="voided_at", lookup_expr="isnull", exclude=True, label=_("Voided")
    )


def ordering(*fields, **named):
    """``?ordering=key`` (``-key`` descending) over ``fields`` (model lookups, keyed by
    themselves) and ``named`` (key → lookup): the order the sortable column headers of a
    page ask for, and the API's ``ordering`` parameter. Without it a list keeps its own order."""
    pairs = [(field, field) for field in fields] + [(lookup, key) for key, lookup in named.items()]
    return filters.OrderingFilter(fields=pairs, label=_("Sort by"))


class InvestorFilter(filters.FilterSet):
    passport_number = filters.CharFilter(
        method="filter_passport", label=_("Passport number (exact)")
    )
    full_name = filters.CharFilter(lookup_expr="icontains")
    merged = yes_no_filter(
        field_name="merged_into", lookup_expr="isnull", exclude=True, label=_("Merged")
    )
    ordering = ordering("full_name", "nationality", "date_of_birth", "created_at")

    class Meta:
        model = Investor
        fields = ["passport_number", "nationality", "kind", "full_name", "merged"]

    def filter_passport(self, queryset, name, value):
        return queryset.filter(passport_hash=keyed_hash(value))


class InvestmentFilter(filters.FilterSet):
    investor = filters.NumberFilter(field_name="investor_id")
    institution = filters.NumberFilter(field_name="institution_id")
    zone = filters.CharFilter(field_name="zone__code")
    project = filters.CharFilter(field_name="project__code")
    office = filters.CharFilter(field_name="office__code")
    contract_date = filters.DateFromToRangeFilter()
    ordering = ordering(
        "program",
        "contract_date",
        "contract_amount_krw",
        investor="investor__full_name",
        office="office__name",
    )

    class Meta:
        model = Investment
        fields = [
            "investor",
            "institution",
            "program",
            "zone",
            "project",
            "investor_class",
            "office",
            "contract_date",
        ]


class EntryFilter(filters.FilterSet):
    """A ledger entry that can be voided (payment, recovery, lapse, grant): the lists leave
    the voided ones out unless asked."""

    voided = voided_filter()


class OnInvestmentFilter(EntryFilter):
    """An entry recorded on an investment: ``?investment=<id>``."""

    investment = filters.NumberFilter(field_name="investment_id")


class PaymentFilter(OnInvestmentFilter):
    paid_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Payment
        fields = ["investment", "kind", "paid_on", "voided"]


class LapseFilter(OnInvestmentFilter):
    class Meta:
        model = Lapse
        fields = ["investment", "kind", "voided"]


class StatusGrantFilter(EntryFilter):
    investor = filters.NumberFilter(field_name="investor_id")
    granted_on = filters.DateFromToRangeFilter()

    class Meta:
        model = StatusGrant
        fields = ["investor", "code", "granted_on", "voided"]


class RelatedPersonFilter(filters.FilterSet):
    investor = filters.NumberFilter(field_name="investor_id")
    full_name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = RelatedPerson
        fields = ["investor", "relation", "nationality", "full_name"]
