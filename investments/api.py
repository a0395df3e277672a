"""REST API of reference data and the ledger (SPEC §8.2).

Viewsets are thin: a query set through the access gate, a serializer, a filter set. Writes go
through ``investments.services`` from the serializers' ``create``; corrections are actions
that need ``If-Match`` (``portal.rest.ETagMixin``). Voided entries and merged client records
are readable by id and listed with ``?voided=true`` / ``?merged=true``, left out otherwise.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import reviews
from portal.audit import client_address
from portal.choices import ApiScope
from portal.models import Office
from portal.rest import IF_MATCH, KRWField, VisibleRelatedField
from portal.viewsets import BulkCreateMixin, ETagMixin, PlainRowsListMixin

from . import privacy, services
from .choices import InvestorKind, Relation
from .filters import (
    InvestmentFilter,
    InvestorFilter,
    LapseFilter,
    PaymentFilter,
    RelatedPersonFilter,
    StatusGrantFilter,
)
from .models import (
    FacilityType,
    ImplementationPeriod,
    Investment,
    Investor,
    Lapse,
    MinimumAmount,
    Payment,
    Project,
    Recovery,
    RelatedPerson,
    StatusCode,
    StatusGrant,
    Zone,
)
from .selectors import family_statuses, total

# --- permissions ------------------------------------------------------------------------------


class KeepsLedger(permissions.BasePermission):
    """Everybody signed in reads what the gate lets them see; only institutions write."""

    message = _("Only a sales company, project operator or KDB keeps a ledger.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_institution


class RecordsStatus(permissions.BasePermission):
    message = _("Only an immigration officer or HQ records residence status.")

    def has_permission(self, request, view):
        user = request.user
        return request.method in permissions.SAFE_METHODS or reviews(user)


class CreateListRetrieve(
    ETagMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Ledger rows are added and read here; corrections are their own verbs."""

    write_scope = ApiScope.LEDGER_WRITE
    #: Lists leave out rows for which this is true unless the query names the filter.
    hidden_unless_asked = ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            for name, lookup in self.hidden_unless_asked:
                if name not in self.request.query_params:
                    queryset = queryset.filter(**{lookup: True})
        return queryset


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why; kept in the history.")


class VoidableEntries(CreateListRetrieve):
    """Payments, recoveries, lapses and grants: ``POST …/{id}/void/`` with a reason and
    ``If-Match`` voids one (issue 11.3)."""

    hidden_unless_asked = (("voided", "voided_at__isnull"),)

    @extend_schema(request=ReasonSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.correct(
            request,
            lambda entry: self.void_entry(
                by=request.user, entry=entry, reason=body.validated_data["reason"]
            ),
        )

    def void_entry(self, *, by, entry, reason):
        return services.void_entry(by=by, entry=entry, reason=reason)


VOID_FIELDS = ["voided_at", "void_reason"]


# --- reference data ---------------------------------------------------------------------------


class ThresholdSerializer(serializers.ModelSerializer):
    minimum_krw = serializers.IntegerField()

    class Meta:
        model = MinimumAmount
        fields = ["minimum_krw", "effective_from", "effective_to", "source"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImplementationPeriod
        fields = ["start", "end", "is_extension", "source"]


class ZoneSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    thresholds = ThresholdSerializer(many=True, read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)
    facility_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Zone
        fields = [
            "code",
            "name",
            "name_ko",
            "office",
            "office_verified",
            "facility_types",
            "thresholds",
            "periods",
        ]


class ZoneViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Designated tourism zones with their dated minimums and implementation periods."""

    queryset = Zone.objects.select_related("office").prefetch_related(
        Prefetch("thresholds", MinimumAmount.objects.order_by("effective_from")),
        Prefetch("periods", ImplementationPeriod.objects.order_by("start")),
        "facility_types",
    )
    serializer_class = ZoneSerializer
    lookup_field = "code"


# --- ledger -----------------------------------------------------------------------------------


class InvestorSerializer(serializers.ModelSerializer):
    passport_number = serializers.CharField(write_only=True, max_length=30)
    alien_registration_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=30
    )
    kind = serializers.ChoiceField(InvestorKind.choices, default=InvestorKind.PERSON)
    residence_office = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Office.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code of the office with jurisdiction over the investor's place of residence "
        "(seed §6.F, §7.A): where a registered foreign resident applies.",
    )

    class Meta:
        model = Investor
        fields = [
            "id",
            "kind",
            "full_name",
            "nationality",
            "date_of_birth",
            "passport_number",
            "passport_number_masked",
            "alien_registration_number",
            "alien_registration_number_masked",
            "email",
            "residence_office",
            "created_at",
            "merged_into",
        ]
        read_only_fields = ["created_at", "merged_into"]

    def create(self, validated_data):
        return services.register_investor(by=self.context["request"].user, **validated_data)


class InvestorCorrectionSerializer(serializers.Serializer):
    """The details to correct (any of them) and why."""

    reason = serializers.CharField(max_length=2000)
    full_name = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(InvestorKind.choices, required=False)
    nationality = serializers.CharField(max_length=2, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    passport_number = serializers.CharField(max_length=30, required=False)
    alien_registration_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    residence_office = serializers.SlugRelatedField(
        slug_field="code", queryset=Office.objects.all(), required=False, allow_null=True
    )


class PassportLookupSerializer(serializers.Serializer):
    passport_number = serializers.CharField(max_length=30)


class RevealSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=300, help_text="Why the clear number is needed; kept in the access log."
    )
    number = serializers.ChoiceField(
        [(key, key) for key in privacy.NUMBERS],
        default="passport",
        help_text="Which number to reveal.",
    )


class RevealedSerializer(serializers.Serializer):
    investor = serializers.IntegerField()
    number = serializers.CharField()
    value = serializers.CharField(help_text="The clear number; empty when none is recorded.")


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.IntegerField(min_value=1, help_text="The record merged into this one.")
    reason = serializers.CharField(max_length=2000)


class InvestorViewSet(CreateListRetrieve):
    """An institution's investor clients. Identification numbers are write-only; reads give
    them masked. ``POST lookup/`` finds clients by exact ``passport_number`` sent in the body,
    never in a query string, which access logs and browser histories keep. ``PATCH`` corrects
    details and ``merge`` folds a duplicate record into this one, both with a reason and
    ``If-Match``."""

    serializer_class = InvestorSerializer
    filterset_class = InvestorFilter
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]
    hidden_unless_asked = (("merged", "merged_into__isnull"),)

    def get_queryset(self):
        return Investor.all_objects.visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        investor = self.get_object()
        privacy.log_read(
            by=request.user, investor=investor, address=client_address(request), api=True
        )
        return self.tagged(investor)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def reveal(self, request, pk=None):
        """The clear passport (or, with ``number``, alien registration) number of this investor,
        for an officer of its competent office or HQ who states a ``purpose``; each reveal is
        logged. Companies and KDB are refused (403)."""
        investor = self.get_object()
        body = RevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        value = privacy.reveal_number(
            by=request.user,
            investor=investor,
            address=client_address(request),
            **body.validated_data,
        )
        data = {"investor": investor.pk, "number": body.validated_data["number"], "value": value}
        return Response(data, headers={"Cache-Control": "no-store"})

    def list(self, request, *args, **kwargs):
        if "passport_number" in request.query_params:
            raise serializers.ValidationError(
                {
                    "passport_number": [
                        _(
                            "Send the passport number in the body of POST "
                            "/api/v1/investors/lookup/, never in a URL."
                        )
                    ]
                }
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PassportLookupSerializer, responses=InvestorSerializer(many=True))
    @action(detail=False, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def lookup(self, request):
        """The clients with this exact passport number that the caller may see (a read, so
        officers and HQ may use it too)."""
        body = PassportLookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        queryset = InvestorFilter(
            {"passport_number": body.validated_data["passport_number"]},
            queryset=self.get_queryset().filter(merged_into__isnull=True),
        ).qs
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=InvestorCorrectionSerializer, parameters=[IF_MATCH])
    def partial_update(self, request, pk=None):
        body = InvestorCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self.correct(
            request,
            lambda investor: services.correct_investor(
                by=request.user, investor=investor, **body.validated_data
            ),
        )

    @extend_schema(request=MergeSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        duplicate = (
            Investor.objects.visible_to(request.user)
            .filter(pk=body.validated_data["duplicate"])
            .first()
        )
        if duplicate is None:
            raise serializers.ValidationError({"duplicate": [_("No such client in your ledger.")]})
        return self.correct(
            request,
            lambda survivor: services.merge_investors(
                by=request.user,
                survivor=survivor,
                duplicate=duplicate,
                reason=body.validated_data["reason"],
            ),
        )


class InvestmentSerializer(serializers.ModelSerializer):
    investor = VisibleRelatedField(Investor)
    zone = serializers.SlugRelatedField(
        slug_field="code", queryset=Zone.objects.all(), required=False, allow_null=True
    )
    project = serializers.SlugRelatedField(
        slug_field="code", queryset=Project.objects.all(), required=False, allow_null=True
    )
    facility_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=FacilityType.objects.all(),
        required=False,
        allow_null=True,
        source="unit.facility_type",
    )
    property_name = serializers.CharField(
        source="unit.name", required=False, allow_blank=True, allow_null=True, max_length=200
    )
    unit_number = serializers.CharField(
        source="unit.unit_number", required=False, allow_blank=True, allow_null=True, max_length=50
    )
    contract_amount_krw = KRWField()
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    paid_krw = serializers.IntegerField(read_only=True)
    recovered_krw = serializers.IntegerField(read_only=True)

    class Meta:
        model = Investment
        fields = [
            "id",
            "investor",
            "institution",
            "program",
            "zone",
            "project",
            "investor_class",
            "property_name",
            "unit_number",
            "facility_type",
            "contract_date",
            "contract_amount_krw",
            "registered_on",
            "prescreened_on",
            "office",
            "paid_krw",
            "recovered_krw",
            "created_at",
        ]
        read_only_fields = ["institution", "created_at"]

    def create(self, validated_data):
        unit = validated_data.pop("unit", {})
        investment = services.record_investment(
            by=self.context["request"].user,
            property_name=unit.get("name") or "",
            unit_number=unit.get("unit_number") or "",
            facility_type=unit.get("facility_type"),
            **validated_data,
        )
        paid, recovered = services.balance(investment, on=investment.contract_date.max)
        investment.paid_krw, investment.recovered_krw = paid, recovered
        return investment


class InvestmentViewSet(PlainRowsListMixin, BulkCreateMixin, CreateListRetrieve):
    bulk_sheet = "investments"
    serializer_class = InvestmentSerializer
    filterset_class = InvestmentFilter
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]

    def get_queryset(self):
        return (
            Investment.objects.visible_to(self.request.user)
            .select_related("zone", "project", "office", "unit__facility_type")
            .annotate(
                paid_krw=total(Payment, "amount_krw"),
                recovered_krw=total(Recovery, "amount_krw"),
            )
        )


class PaymentSerializer(serializers.ModelSerializer):
    investment = VisibleRelatedField(Investment)
    amount_krw = KRWField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "investment",
            "paid_on",
            "amount_krw",
            "kind",
            "currency",
            "original_amount",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = ["created_at", *VOID_FIELDS]

    def create(self, validated_data):
        return services.record_payment(by=self.context["request"].user, **validated_data)


class PaymentViewSet(PlainRowsListMixin, BulkCreateMixin, VoidableEntries):
    bulk_sheet = "payments"
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]

    def get_queryset(self):
        return Payment.all_objects.visible_to(self.request.user)


class LapseSerializer(serializers.ModelSerializer):
    investment = VisibleRelatedField(Investment)

    class Meta:
        model = Lapse
        fields = ["id", "investment", "kind", "started_on", "ended_on", *VOID_FIELDS]
        read_only_fields = VOID_FIELDS

    def create(self, validated_data):
        return services.record_lapse(by=self.context["request"].user, **validated_data)


class LapseViewSet(PlainRowsListMixin, VoidableEntries):
    serializer_class = LapseSerializer
    filterset_class = LapseFilter
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]

    def get_queryset(self):
        return Lapse.all_objects.visible_to(self.request.user)


class StatusGrantSerializer(serializers.ModelSerializer):
    investor = VisibleRelatedField(Investor)
    code = serializers.SlugRelatedField(slug_field="code", queryset=StatusCode.objects.all())

    class Meta:
        model = StatusGrant
        fields = ["id", "investor", "code", "granted_on", "expires_on", "created_at", *VOID_FIELDS]
        read_only_fields = ["created_at", *VOID_FIELDS]

    def create(self, validated_data):
        validated_data["code"] = validated_data["code"].code
        return services.grant_status(by=self.context["request"].user, **validated_data)


class StatusGrantViewSet(PlainRowsListMixin, VoidableEntries):
    """Residence statuses granted; recorded by officers (and HQ)."""

    serializer_class = StatusGrantSerializer
    filterset_class = StatusGrantFilter
    permission_classes = [permissions.IsAuthenticated, RecordsStatus]

    def get_queryset(self):
        return StatusGrant.all_objects.visible_to(self.request.user).select_related("code")


class FamilyStatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A family residence status, e.g. F-2-81, F-2-13, F-2-3.")
    until = serializers.DateField(
        allow_null=True,
        help_text="The last day it may be held (a child of a permanent resident: the day before "
        "the age of majority); null when the regulation sets no end.",
    )


class RelativeListSerializer(serializers.ListSerializer):
    """Works out the family statuses of a whole page at once (a fixed number of queries)."""

    def to_representation(self, data):
        relatives = list(data.all() if hasattr(data, "all") else data)
        self.context["family"] = family_statuses(relatives, as_of=timezone.localdate())
        return super().to_representation(relatives)


class RelativeSerializer(serializers.ModelSerializer):
    investor = VisibleRelatedField(Investor)
    relation = serializers.ChoiceField(Relation.choices)
    passport_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=30
    )
    qualifies_for = serializers.SerializerMethodField(
        help_text="The family statuses open to this relative today, from the investor's "
        "programs and permanent residence (seed §6 heading, §7.S(3)); empty for executives, "
        "shareholders and adult children of a permanent resident."
    )

    class Meta:
        model = RelatedPerson
        list_serializer_class = RelativeListSerializer
        fields = [
            "id",
            "investor",
            "relation",
            "full_name",
            "nationality",
            "date_of_birth",
            "passport_number",
            "passport_number_masked",
            "qualifies_for",
        ]

    @extend_schema_field(FamilyStatusSerializer(many=True))
    def get_qualifies_for(self, relative):
        family = self.context.get("family")
        if family is None or relative.pk not in family:
            family = family_statuses([relative], as_of=timezone.localdate())
        return [{"code": s.code, "until": s.until} for s in family[relative.pk]]

    def create(self, validated_data):
        return services.record_relative(by=self.context["request"].user, **validated_data)


class RelativeViewSet(CreateListRetrieve):
    """Spouses, children, executives and shareholders recorded against the caller's
    investors, each with the family statuses open to it today and until when. Seen by whoever
    sees the investor; recorded by the investor's institution."""

    serializer_class = RelativeSerializer
    filterset_class = RelatedPersonFilter
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]

    def get_queryset(self):
        return (
            RelatedPerson.objects.visible_to(self.request.user)
            .select_related("investor")
            .order_by("investor_id", "relation", "date_of_birth", "pk")
        )
