"""Sanctions, the compliance record and proxy applications (SPEC §5.3)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from investments.models import Investor
from portal.access import reviews
from portal.choices import ApiScope
from portal.models import Organisation
from portal.rest import VisibleRelatedField
from portal.viewsets import ETagMixin

from .. import sanctions
from ..models import Obligation, ProxyApplication, Sanction


class OfficersWrite(permissions.BasePermission):
    message = gettext_lazy("Only an immigration officer or HQ records a sanction.")

    def has_permission(self, request, view):
        user = request.user
        return request.method in permissions.SAFE_METHODS or reviews(user)


class SanctionSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(kind__in=["sales_company", "project_operator", "kdb"])
    )
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Sanction
        fields = [
            "id",
            "institution",
            "office",
            "kind",
            "started_on",
            "ended_on",
            "reason",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]

    def create(self, validated_data):
        return sanctions.record_sanction(by=self.context["request"].user, **validated_data)


class LiftSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class SanctionViewSet(ETagMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Restrictions of proxy privileges and requests to cancel a designation."""

    serializer_class = SanctionSerializer
    permission_classes = [permissions.IsAuthenticated, OfficersWrite]
    filterset_fields = ["institution", "kind"]

    def get_queryset(self):
        return Sanction.objects.visible_to(self.request.user).select_related("office")

    @extend_schema(request=LiftSerializer, responses=SanctionSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        data = LiftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sanction = sanctions.lift_sanction(
            by=request.user, sanction=self.get_object(), **data.validated_data
        )
        return Response(SanctionSerializer(sanction, context={"request": request}).data)


class ComplianceSerializer(serializers.Serializer):
    institution = serializers.IntegerField(source="institution_id")
    withdrawal_on_time = serializers.IntegerField()
    withdrawal_late = serializers.IntegerField()
    withdrawal_overdue = serializers.IntegerField()
    notice_on_time = serializers.IntegerField()
    notice_late = serializers.IntegerField()
    notice_overdue = serializers.IntegerField()
    failures = serializers.IntegerField()


class ComplianceViewSet(viewsets.ViewSet):
    """Each visible institution's record of filings on time, late and overdue."""

    serializer_class = ComplianceSerializer

    def list(self, request):
        records = sanctions.compliance_records(Obligation.objects.visible_to(request.user))
        ordered = sorted(records.values(), key=lambda r: (-r.failures, r.institution_id))
        return Response(ComplianceSerializer(ordered, many=True).data)


class ProxyApplicationSerializer(serializers.ModelSerializer):
    investor = VisibleRelatedField(Investor)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    filed_on = serializers.DateField(required=False)

    class Meta:
        model = ProxyApplication
        fields = ["id", "investor", "kind", "agent_name", "filed_on", "office"]

    def validate_filed_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("This date is in the future."))
        return value

    def create(self, validated_data):
        return sanctions.file_proxy_application(by=self.context["request"].user, **validated_data)


class InstitutionsWrite(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_institution


class ProxyApplicationViewSet(ETagMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Applications a sales company files for its investors; refused while restricted."""

    write_scope = ApiScope.REPORTS_FILE

    serializer_class = ProxyApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, InstitutionsWrite]
    filterset_fields = ["investor", "kind"]

    def get_queryset(self):
        return ProxyApplication.objects.visible_to(self.request.user).select_related("office")
