"""The offices endpoint of the REST API."""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from .models import Office


class OfficeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Office
        fields = ["code", "name", "name_ko", "parent"]


class OfficeFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Office
        fields = ["parent"]


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """Immigration offices and branch offices (reference data)."""

    queryset = Office.objects.select_related("parent")
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    lookup_field = "code"
