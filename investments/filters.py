"""One FilterSet per ledger model, shared by the API, the pages and the exports, so what a
user filters is what a user exports."""

from django_filters import rest_framework as filters

from portal.crypto import keyed_hash

from .models import Investment, Investor, Lapse, Payment, Recovery, StatusGrant


class InvestorFilter(filters.FilterSet):
    passport_number = filters.CharFilter(method="filter_passport", label="Passport number (exact)")
    full_name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Investor
        fields = ["passport_number", "nationality", "kind", "full_name"]

    def filter_passport(self, queryset, name, value):
        return queryset.filter(passport_hash=keyed_hash(value))


class InvestmentFilter(filters.FilterSet):
    zone = filters.CharFilter(field_name="zone__code")
    project = filters.CharFilter(field_name="project__code")
    office = filters.CharFilter(field_name="office__code")
    contract_date = filters.DateFromToRangeFilter()

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


class PaymentFilter(filters.FilterSet):
    paid_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Payment
        fields = ["investment", "kind", "paid_on"]


class RecoveryFilter(filters.FilterSet):
    recovered_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Recovery
        fields = ["investment", "reason", "is_full", "recovered_on"]


class LapseFilter(filters.FilterSet):
    class Meta:
        model = Lapse
        fields = ["investment", "kind"]


class StatusGrantFilter(filters.FilterSet):
    granted_on = filters.DateFromToRangeFilter()

    class Meta:
        model = StatusGrant
        fields = ["investor", "code", "granted_on"]
