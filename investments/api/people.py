"""Investors and their relatives through the API: client records with masked numbers, the
passport lookup by body, reveal, correction and merge; relatives with the family statuses open
to them."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.audit import client_address
from portal.models import Office
from portal.rest import IF_MATCH, VisibleRelatedField

from .. import privacy, services
from ..choices import InvestorKind, Relation
from ..filters import InvestorFilter, RelatedPersonFilter
from ..models import Investor, RelatedPerson
from ..selectors import family_statuses
from .base import CreateListRetrieve


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
        return self.correct(
            request,
            lambda investor, body: services.correct_investor(
                by=request.user, investor=investor, **body
            ),
            body=InvestorCorrectionSerializer,
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

    def get_queryset(self):
        return (
            RelatedPerson.objects.visible_to(self.request.user)
            .select_related("investor")
            .order_by("investor_id", "relation", "date_of_birth", "pk")
        )
