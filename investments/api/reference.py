"""Reference data read through the API: the designated tourism zones, each with its dated
minimums and implementation periods."""

from django.db.models import Prefetch
from rest_framework import serializers, viewsets

from portal.viewsets import ETagMixin

from ..models import ImplementationPeriod, MinimumAmount, Zone


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
