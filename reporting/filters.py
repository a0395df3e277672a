"""One FilterSet per reporting model, shared by the pages, the API and the exports, so what a
user filters is what a user exports."""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from investments.filters import OnInvestmentFilter, ordering, yes_no_filter
from investments.models import Recovery
from portal.rest import MonthFilter

from .choices import OPEN_STATES, ObligationState
from .models import MonthlyNotice, Obligation, WithdrawalReport

FILED = (ObligationState.FILED_ON_TIME, ObligationState.FILED_LATE)
#: The deadlines page's tabs, beside the FilterSet (``?when=``).
QUICK_FILTERS = {
    "past_due": _("Past due"),
    "upcoming": _("Upcoming"),
    "filed": _("Filed"),
}


class RecoveryFilter(OnInvestmentFilter):
    recovered_on = filters.DateFromToRangeFilter()
    is_full = yes_no_filter(field_name="is_full")

    class Meta:
        model = Recovery
        fields = ["investment", "reason", "is_full", "recovered_on", "voided"]


class ObligationFilter(filters.FilterSet):
    investment = filters.NumberFilter(field_name="investment_id")
    institution = filters.NumberFilter(field_name="institution_id")
    due_on = filters.DateFromToRangeFilter()
    recipient_office = filters.CharFilter(field_name="recipient_office__code")
    # the state true for today, not the one the last sweep recorded (issue 8.9)
    state = filters.ChoiceFilter(choices=ObligationState.choices, method="filter_state")
    ordering = ordering(
        "due_on",
        "kind",
        "filed_on",
        institution="institution__name",
        office="recipient_office__name",
    )

    def filter_state(self, queryset, name, value):
        return queryset.in_state(value, timezone.localdate())

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


def past_due(queryset, today):
    """Open and past its due day, whether or not the nightly sweep has marked it overdue yet:
    the pages tell the truth between two sweeps."""
    return queryset.filter(state__in=OPEN_STATES, due_on__lt=today)


def quick_filter(queryset, name, today):
    if name == "past_due":
        return past_due(queryset, today).order_by("due_on", "pk")
    if name == "upcoming":
        return queryset.filter(state__in=OPEN_STATES, due_on__gte=today).order_by("due_on", "pk")
    if name == "filed":
        return queryset.filter(state__in=FILED).order_by("-due_on", "-pk")
    # Open ones first, earliest due first; then filed ones, latest due first.
    still_open = Q(state__in=OPEN_STATES)
    return queryset.annotate(
        closed=Case(When(still_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
        open_due=Case(When(still_open, then=F("due_on"))),
        filed_due=Case(When(~still_open, then=F("due_on"))),
    ).order_by(
        "closed", F("open_due").asc(nulls_last=True), F("filed_due").desc(nulls_last=True), "pk"
    )


def filtered_obligations(user, query, *, today):
    """``(filterset, rows)``: the obligations the deadlines page shows and its export writes."""
    filterset = ObligationFilter(query, queryset=Obligation.objects.visible_to(user))
    return filterset, quick_filter(filterset.qs, query.get("when", ""), today)


class NoticeFilter(filters.FilterSet):
    """Monthly notices, for the API and the notices page alike: the page draws this form
    (``portal.web.filter_form``) and its sortable column headers ask for its ``ordering``."""

    period = MonthFilter()
    office = filters.CharFilter(
        field_name="recipient_office__code", help_text="Code of the office the notice goes to."
    )
    ordering = ordering(
        "period",
        "program",
        "state",
        "submitted_at",
        institution="institution__name",
        office="recipient_office__name",
    )

    class Meta:
        model = MonthlyNotice
        fields = ["period", "program", "state", "institution", "office"]


class NoticeReviewOrdering(filters.FilterSet):
    """The review queue's sortable columns when it lists notices (its filters are its own)."""

    ordering = ordering("submitted_at", institution="institution__name")

    class Meta:
        model = MonthlyNotice
        fields = []


class ComplianceOrdering(filters.FilterSet):
    """The compliance record's sortable columns (over ``sanctions.compliance_table``, one row
    per institution); ``failures`` (late and overdue, all kinds) orders it worst first."""

    ordering = ordering(
        "withdrawal_on_time",
        "withdrawal_late",
        "withdrawal_overdue",
        "notice_on_time",
        "notice_late",
        "notice_overdue",
        "failures",
        institution="institution__name",
    )

    class Meta:
        model = Obligation
        fields = []


class ReviewOrdering(filters.FilterSet):
    """The review queue's sortable columns."""

    ordering = ordering(
        "filed_at",
        due_on="obligation__due_on",
        institution="obligation__institution__name",
        investor="obligation__recovery__investment__investor__full_name",
    )

    class Meta:
        model = WithdrawalReport
        fields = []
