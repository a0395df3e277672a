from django_filters import rest_framework as filters

from investments.filters import voided_filter
from investments.models import Recovery

from .models import Obligation


class RecoveryFilter(filters.FilterSet):
    investment = filters.NumberFilter(field_name="investment_id")
    recovered_on = filters.DateFromToRangeFilter()
    voided = voided_filter()

    class Meta:
        model = Recovery
        fields = ["investment", "reason", "is_full", "recovered_on", "voided"]


class ObligationFilter(filters.FilterSet):
    investment = filters.NumberFilter(field_name="investment_id")
    institution = filters.NumberFilter(field_name="institution_id")
    due_on = filters.DateFromToRangeFilter()
    recipient_office = filters.CharFilter(field_name="recipient_office__code")

    class Meta:
        model = Obligation
        fields = [
            "investment",
            "kind",
            "state",
            "institution",
            "program",
            "recipient_office",
            "due_on",
        ]
