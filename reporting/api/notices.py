"""REST API of the monthly status notice (SPEC §5.2, §8.2).

An institution computes its notice for a month (``POST``), reviews the figures and checks,
adds remarks and submits it; after submission it can only amend (a new version). Officers read
the notices routed to their office and download them. Every write is a verb of
``reporting.notices``; the viewset only parses, gates and answers.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from investments.choices import ProgramCode
from portal import xlsx
from portal.access import reviews
from portal.choices import ApiScope
from portal.models import Office
from portal.rest import MonthField
from portal.viewsets import ETagMixin, PlainRowsListMixin

from .. import notices
from ..exports.notice import notice_book
from ..filters import NoticeFilter
from ..models import MonthlyNotice, ReportReview
from .filings import ReviewDecisionSerializer, ReviewSerializer, latest_review


class PreparesNotice(permissions.BasePermission):
    """Everybody signed in reads what the gate lets them see; only institutions compute,
    annotate, submit and amend (their own notices: the verbs check that too); officers and HQ
    review."""

    message = _("Only the institution itself prepares and submits its monthly notice.")

    def has_permission(self, request, view):
        if view.action == "review":
            self.message = _("Only an immigration officer or HQ reviews notices.")
            return reviews(request.user)
        return request.method in permissions.SAFE_METHODS or request.user.is_institution


class XLSXRenderer(BaseRenderer):
    """Lets a client ask for the workbook by its MIME type; errors still answer in JSON."""

    media_type = xlsx.MIME
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.ChoiceField(["error", "warning"])
    text = serializers.SerializerMethodField(
        help_text="In the language of the request (Accept-Language), amounts formatted."
    )

    def get_text(self, check) -> str:
        return notices.check_text(check)


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    digest = serializers.CharField(help_text="SHA-256 of the canonical JSON of the content.")


class NoticeReviewSerializer(ReviewSerializer):
    """A review of a notice: the report's review, naming the notice instead."""

    class Meta(ReviewSerializer.Meta):
        fields = ["id", "notice", "decision", "note", "reviewed_by", "reviewed_at"]


class MonthlyNoticeSerializer(serializers.ModelSerializer):
    period = MonthField(read_only=True)
    office = serializers.SlugRelatedField(
        source="recipient_office",
        slug_field="code",
        read_only=True,
        help_text="Code of the office the notice goes to (seed §6.H: the office with "
        "jurisdiction over the facilities it counts; §7.S: KDB → sejongno).",
    )
    recipient_office = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The same as `office` (kept for clients)."
    )
    due_on = serializers.DateField(source="obligation.due_on", read_only=True)
    checks = CheckSerializer(many=True, read_only=True)
    figures = serializers.JSONField(read_only=True)
    receipt = serializers.SerializerMethodField()
    latest_review = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyNotice
        fields = [
            "id",
            "institution",
            "program",
            "period",
            "version",
            "state",
            "office",
            "recipient_office",
            "due_on",
            "computed_at",
            "checks",
            "figures",
            "remarks",
            "warnings_confirmed",
            "amendment_needed",
            "receipt",
            "latest_review",
        ]
        read_only_fields = fields

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, notice):
        receipt = notices.receipt(notice)
        return None if receipt is None else ReceiptSerializer(receipt).data

    @extend_schema_field(NoticeReviewSerializer(allow_null=True))
    def get_latest_review(self, notice):
        return latest_review(notice, NoticeReviewSerializer)


class ComputeSerializer(serializers.Serializer):
    period = MonthField()
    program = serializers.ChoiceField(ProgramCode.choices)
    office = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Office.objects.all(),
        required=False,
        help_text="Code of the office the notice goes to; needed only when the institution "
        "reports to several offices that month (seed §6.H).",
    )


class SubmitSerializer(serializers.Serializer):
    confirm_warnings = serializers.BooleanField(default=False)


class RemarksSerializer(serializers.Serializer):
    remarks = serializers.CharField(allow_blank=True, max_length=4000, trim_whitespace=True)


class MonthlyNoticeViewSet(
    PlainRowsListMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Monthly status notices (seed §6.H, §7.F, §7.S), computed from the ledger as of the
    month's last day, one per recipient office (``office``). ``POST`` computes (or refreshes)
    the caller's draft for ``{period, program[, office]}`` (``office`` is needed when the
    caller reports to several offices that month); ``submit`` files it once the month is over
    (errors block, warnings need ``confirm_warnings``) and returns the receipt; ``amend``
    starts a new version; ``review`` is the office's acknowledgement or return of the submitted
    version (a return is answered by ``amend``)."""

    serializer_class = MonthlyNoticeSerializer
    filterset_class = NoticeFilter
    permission_classes = [permissions.IsAuthenticated, PreparesNotice]
    write_scope = ApiScope.NOTICES_SUBMIT
    list_reads = ("receipt_number", "submitted_at", "digest")  # get_receipt's

    def get_queryset(self):
        newest_first = ReportReview.objects.select_related("reviewed_by").order_by(
            "-reviewed_at", "-pk"
        )
        return (
            MonthlyNotice.objects.visible_to(self.request.user)
            .select_related("obligation", "recipient_office")
            .prefetch_related(Prefetch("reviews", newest_first, to_attr="newest_reviews"))
        )

    def attach_to_rows(self, rows):
        """The newest review of each notice of a plain-rows page, read in one query, where
        ``get_latest_review`` looks for it on a notice."""
        newest = {}
        reviews = ReportReview.objects.filter(notice__in=[row["pk"] for row in rows])
        for review in reviews.select_related("reviewed_by").order_by("-reviewed_at", "-pk"):
            newest.setdefault(review.notice_id, [review])
        for row in rows:
            row["newest_reviews"] = newest.get(row["pk"], [])

    def answer(self, notice, code=status.HTTP_200_OK):
        return Response(self.get_serializer(notice).data, status=code)

    @extend_schema(request=ComputeSerializer, responses={201: MonthlyNoticeSerializer})
    def create(self, request):
        query = ComputeSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        notice = notices.compute_notice(by=request.user, **query.validated_data)
        return self.answer(notice, status.HTTP_201_CREATED)

    @extend_schema(request=SubmitSerializer, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        notice = self.get_object()  # another organisation's notice: 404 before anything else
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        receipt = notices.submit_notice(by=request.user, notice=notice, **body.data)
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(request=RemarksSerializer, responses={200: MonthlyNoticeSerializer})
    @action(detail=True, methods=["post"])
    def remarks(self, request, pk=None):
        notice = self.get_object()
        body = RemarksSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        notice = notices.set_remarks(by=request.user, notice=notice, **body.data)
        return self.answer(notice)

    @extend_schema(request=None, responses={201: MonthlyNoticeSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        notice = notices.amend_notice(by=request.user, notice=self.get_object())
        return self.answer(notice, status.HTTP_201_CREATED)

    @extend_schema(request=ReviewDecisionSerializer, responses={201: NoticeReviewSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReviewDecisionSerializer)
    def review(self, request, pk=None):
        """Acknowledge the submitted version, or return it for correction (a note is then
        required)."""
        notice = self.get_object()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = notices.review_notice(by=request.user, notice=notice, **body.validated_data)
        return Response(NoticeReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, xlsx.MIME): OpenApiResponse(OpenApiTypes.BINARY, "The workbook")}
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, XLSXRenderer])
    def xlsx(self, request, pk=None):
        book = notice_book(self.get_object())
        return xlsx.response(book.sheets, filename=book.filename)
