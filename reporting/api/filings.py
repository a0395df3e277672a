"""REST API of withdrawal reports (SPEC §5.1, §8.2 ``/api/v1/withdrawal-reports/``).

Filing takes one of two request shapes, chosen by the fields present:

* ``{obligation, remarks?}`` files the report an open obligation calls for;
* ``{investment, recovered_on, amount_krw, reason, remarks?}`` reports a recovery the ledger does
  not have yet: it enters the ledger and is reported in one transaction.

Mixing the shapes is refused, so a client never gets a report it did not mean to file. The
filing date is always the day of the request here, so an API client cannot backdate a late
report into an on-time one; recording a paper letter sent earlier is possible only through
``reporting.filings.file_report(filed_on=…)`` in trusted code.

Reads give each filed version with the letter's contents as filed, its digest and the latest
review; ``letter/`` and ``pdf/`` render the official letter. Officers see what is routed to their
office; another organisation's report is 404, another organisation's obligation or investment
named in a filing is 400 "does not exist", exactly like an id never issued.
"""

import json

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, permissions, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from investments.choices import RecoveryReason
from investments.models import Investment
from portal.access import reviews
from portal.choices import ApiScope
from portal.rest import KRWField, VisibleRelatedField
from portal.viewsets import ETagMixin
from portal.web import private

from .. import filings, letters
from ..models import Obligation, ReportReview, WithdrawalReport
from ..review_queue import REVIEW_DECISIONS

REMARKS_MAX = 4000

FILING_DESCRIPTION = """File a withdrawal report, in one of two shapes:

* `{obligation, remarks?}` files the report an open obligation calls for;
* `{investment, recovered_on, amount_krw, reason, remarks?}` reports a recovery not yet in the
  ledger: it is recorded (opening its obligation, due per R5) and reported at once.

Mixing the shapes is a 400. The filing date is today; the obligation becomes `filed_on_time`
(on or before its due date) or `filed_late`. A report already filed is corrected with
`amend/`."""


@extend_schema_field(OpenApiTypes.INT)
class VisibleId(VisibleRelatedField):
    """An id, as the schema should say (a serializer without a model cannot tell)."""


def remarks_field():
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=REMARKS_MAX, trim_whitespace=True
    )


# --- filing -----------------------------------------------------------------------------------


class OneShape(serializers.Serializer):
    """Refuses a body that also carries the other shape's fields."""

    other_shape: frozenset = frozenset()

    def to_internal_value(self, data):
        mixed = sorted(self.other_shape & set(data.keys())) if hasattr(data, "keys") else []
        if mixed:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Give either an obligation, or the investment, recovered_on, "
                            "amount_krw and reason of a recovery not in the ledger — not both "
                            "(unexpected: %(fields)s)."
                        )
                        % {"fields": ", ".join(mixed)}
                    ]
                }
            )
        return super().to_internal_value(data)


class ObligationFilingSerializer(OneShape):
    """File the withdrawal report an open obligation calls for."""

    obligation = VisibleId(Obligation)
    remarks = remarks_field()

    def create(self, validated_data):
        return filings.file_report(by=self.context["request"].user, **validated_data)


class UnledgeredRecoveryFilingSerializer(OneShape):
    """Report a recovery not yet in the ledger: it is recorded, its obligation opened and the
    report filed at once."""

    investment = VisibleId(Investment)
    recovered_on = serializers.DateField()
    amount_krw = KRWField()
    reason = serializers.ChoiceField(RecoveryReason.choices)
    remarks = remarks_field()

    def create(self, validated_data):
        return filings.file_unledgered_recovery(by=self.context["request"].user, **validated_data)


RECOVERY_FIELDS = frozenset({"investment", "recovered_on", "amount_krw", "reason"})
ObligationFilingSerializer.other_shape = RECOVERY_FIELDS
UnledgeredRecoveryFilingSerializer.other_shape = frozenset({"obligation"})


def filing_serializer_class(data):
    """The shape a filing body takes: a recovery when it names any recovery field and no
    obligation; otherwise an obligation (whose absence is then the error to report)."""
    keys = set(data) if hasattr(data, "keys") else set()
    if "obligation" not in keys and keys & RECOVERY_FIELDS:
        return UnledgeredRecoveryFilingSerializer
    return ObligationFilingSerializer


class AmendmentSerializer(serializers.Serializer):
    remarks = serializers.CharField(allow_blank=True, max_length=REMARKS_MAX)


class ReviewDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(REVIEW_DECISIONS)
    note = remarks_field()


# --- reads ------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer):
    decision = serializers.CharField(source="state", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReportReview
        fields = ["id", "report", "decision", "note", "reviewed_by", "reviewed_at"]


def latest_review(document, serializer_class):
    """The newest review of a report or notice, as ``serializer_class`` writes it (None before
    the first). A list prefetches them as ``newest_reviews``; one document reads its own."""
    reviews = getattr(document, "newest_reviews", None)
    if reviews is None:
        newest_first = document.reviews.order_by("-reviewed_at", "-pk")
        reviews = list(newest_first.select_related("reviewed_by")[:1])
    return serializer_class(reviews[0]).data if reviews else None


class WithdrawalReportSerializer(serializers.ModelSerializer):
    """One filed version. ``content`` is the letter as filed: ``investor`` (nationality,
    full_name, date_of_birth), ``investment`` (property_name, unit_number or project_name,
    contract_amount_krw, paid_krw up to the recovery date), ``recovery`` (recovered_on,
    amount_krw, reason, is_full), ``institution`` (name, representative),
    ``recipient_office`` and ``obligation`` (id, due_on)."""

    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recipient_office = serializers.CharField(
        source="obligation.recipient_office.code", read_only=True
    )
    obligation_state = serializers.CharField(source="obligation.state", read_only=True)
    due_on = serializers.DateField(source="obligation.due_on", read_only=True)
    recovery = serializers.IntegerField(source="obligation.recovery_id", read_only=True)
    investment = serializers.IntegerField(source="obligation.investment_id", read_only=True)
    latest_review = serializers.SerializerMethodField()

    class Meta:
        model = WithdrawalReport
        fields = [
            "id",
            "obligation",
            "version",
            "filed_on",
            "filed_at",
            "filed_by",
            "recipient_office",
            "obligation_state",
            "due_on",
            "recovery",
            "investment",
            "content",
            "remarks",
            "digest",
            "latest_review",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_latest_review(self, report):
        return latest_review(report, ReviewSerializer)


class WithdrawalReportFilter(filters.FilterSet):
    # A plain number, not a model choice: an id outside the caller's sight filters to nothing
    # rather than revealing, by a different error, that it exists.
    obligation = filters.NumberFilter(field_name="obligation_id")
    filed_on = filters.DateFromToRangeFilter()

    class Meta:
        model = WithdrawalReport
        fields = ["obligation", "version", "filed_on"]


# --- permissions and renderers ----------------------------------------------------------------


class FilesAndReviews(permissions.BasePermission):
    """Everybody signed in reads what the gate lets them see; institutions file and amend;
    officers and HQ review."""

    def has_permission(self, request, view):
        user = request.user
        if view.action in ("create", "amend"):
            self.message = _("Only the reporting institution files and amends reports.")
            return user.is_institution
        if view.action == "review":
            self.message = _("Only an immigration officer or HQ reviews reports.")
            return reviews(user)
        return request.method in permissions.SAFE_METHODS


class PDFRenderer(renderers.BaseRenderer):
    """Lets ``Accept: application/pdf`` through content negotiation; errors stay JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


# --- viewset ----------------------------------------------------------------------------------


class WithdrawalReportViewSet(
    ETagMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Withdrawal (recovery) reports, 14 days after a recovery (seed §6.H, §7.F). Every filed
    version is kept: version 1 is the report, later versions are amendments."""

    serializer_class = WithdrawalReportSerializer
    filterset_class = WithdrawalReportFilter
    permission_classes = [permissions.IsAuthenticated, FilesAndReviews]
    write_scope = ApiScope.REPORTS_FILE

    def get_queryset(self):
        newest_first = ReportReview.objects.select_related("reviewed_by").order_by(
            "-reviewed_at", "-pk"
        )
        return (
            WithdrawalReport.objects.visible_to(self.request.user)
            .select_related("obligation__recipient_office", "filed_by")
            .prefetch_related(Prefetch("reviews", newest_first, to_attr="newest_reviews"))
        )

    def get_serializer_class(self):
        if self.action == "create":
            return filing_serializer_class(self.request.data)
        return super().get_serializer_class()

    def read(self, report, code=status.HTTP_201_CREATED):
        report = self.get_queryset().get(pk=report.pk)
        return Response(WithdrawalReportSerializer(report).data, status=code)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="WithdrawalReportFiling",
            serializers=[ObligationFilingSerializer, UnledgeredRecoveryFilingSerializer],
            resource_type_field_name=None,
        ),
        responses={201: WithdrawalReportSerializer},
        description=FILING_DESCRIPTION,
    )
    def create(self, request, *args, **kwargs):
        filing = self.get_serializer(data=request.data)
        filing.is_valid(raise_exception=True)
        return self.read(filing.save())

    @extend_schema(request=AmendmentSerializer, responses={201: WithdrawalReportSerializer})
    @action(detail=True, methods=["post"], serializer_class=AmendmentSerializer)
    def amend(self, request, pk=None):
        """File a new version: the contents read again from the ledger, with new remarks."""
        report = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        amended = filings.amend_report(by=request.user, report=report, **body.validated_data)
        return self.read(amended)

    @extend_schema(request=ReviewDecisionSerializer, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReviewDecisionSerializer)
    def review(self, request, pk=None):
        """Acknowledge the version, or return it for correction (a note is then required)."""
        report = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = filings.review_report(by=request.user, report=report, **body.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, renderers.StaticHTMLRenderer])
    def letter(self, request, pk=None):
        """The official letter as printable HTML (A4)."""
        html = letters.render_letter_html(self.get_object())
        return private(HttpResponse(html, content_type="text/html; charset=utf-8"))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        """The official letter as PDF."""
        report = self.get_object()
        response = HttpResponse(letters.render_letter_pdf(report), content_type="application/pdf")
        name = f"withdrawal-report-{report.obligation_id}-v{report.version}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return private(response)
