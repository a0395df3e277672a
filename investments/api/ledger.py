"""The ledger entries through the API: investments (with paid and recovered totals),
payments and lapses."""

from rest_framework import serializers

from portal.rest import KRWField, VisibleRelatedField
from portal.viewsets import BulkCreateMixin, PlainRowsListMixin

from .. import services
from ..filters import InvestmentFilter, LapseFilter, PaymentFilter
from ..models import FacilityType, Investment, Investor, Lapse, Payment, Project, Recovery, Zone
from ..selectors import total
from .base import VOID_FIELDS, CreateListRetrieve, VoidableEntries


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
            *services.INVESTMENT_FIELDS,
            "institution",
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

    def get_queryset(self):
        return Lapse.all_objects.visible_to(self.request.user)
