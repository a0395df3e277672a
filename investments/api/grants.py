"""Residence statuses granted, recorded through the API by officers and HQ."""

from rest_framework import permissions, serializers

from portal.rest import VisibleRelatedField
from portal.viewsets import PlainRowsListMixin

from .. import services
from ..filters import StatusGrantFilter
from ..models import Investor, StatusCode, StatusGrant
from .base import VOID_FIELDS, RecordsStatus, VoidableEntries


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
