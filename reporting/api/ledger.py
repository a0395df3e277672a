"""REST API of reporting: recoveries (which open their report obligation) and obligations."""

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from investments.api.base import VOID_FIELDS, VoidableEntries
from investments.models import Investment, Investor, Recovery
from portal.rest import KRWField, MonthField, VisibleRelatedField
from portal.viewsets import BulkCreateMixin, ETagMixin, PlainRowsListMixin

from .. import eligibility, services
from ..choices import ObligationState
from ..filters import ObligationFilter, RecoveryFilter
from ..models import Obligation


@extend_schema_field({"type": "integer", "nullable": True, "readOnly": True})
class ObligationIdField(serializers.ReadOnlyField):
    """The id of a recovery's report obligation (none after F-5), from the list's annotation:
    building each row's obligation only for its id was a third of the list's time
    (docs/performance.md). A recovery just recorded has no annotation and asks the table."""

    def get_attribute(self, recovery):
        if hasattr(recovery, "obligation_pk"):
            return recovery.obligation_pk
        return Obligation.objects.filter(recovery=recovery).values_list("pk", flat=True).first()


class RecoverySerializer(serializers.ModelSerializer):
    investment = VisibleRelatedField(Investment)
    amount_krw = KRWField()
    obligation = ObligationIdField()

    class Meta:
        model = Recovery
        fields = [
            "id",
            "investment",
            "recovered_on",
            "amount_krw",
            "reason",
            "is_full",
            "obligation",
            "created_at",
            *VOID_FIELDS,
        ]
        read_only_fields = ["is_full", "created_at", *VOID_FIELDS]

    def create(self, validated_data):
        return services.record_recovery(by=self.context["request"].user, **validated_data)


class RecoveryViewSet(BulkCreateMixin, VoidableEntries):
    """Withdrawals of funds. Recording one opens its withdrawal-report obligation, due 14
    days later rolled past weekends and holidays (R5); voiding one cancels that obligation
    unless the report was already filed."""

    bulk_sheet = "recoveries"
    serializer_class = RecoverySerializer
    filterset_class = RecoveryFilter

    def get_queryset(self):
        return Recovery.all_objects.visible_to(self.request.user).annotate(
            obligation_pk=F("obligation__pk")
        )

    def void_entry(self, *, by, entry, reason):
        return services.void_recovery(by=by, recovery=entry, reason=reason)


class ObligationSerializer(serializers.ModelSerializer):
    recipient_office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = MonthField(read_only=True, allow_null=True)
    # read from the queryset's annotation (``with_state_today``): the same rule as the
    # model's ``current_state``, computed in the query so the list is served as plain rows
    state = serializers.ChoiceField(ObligationState.choices, source="state_today", read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "kind",
            "due_on",
            "state",
            "recipient_office",
            "institution",
            "program",
            "investment",
            "recovery",
            "period",
            "filed_on",
        ]


class ObligationViewSet(PlainRowsListMixin, ETagMixin, viewsets.ReadOnlyModelViewSet):
    """What is due, when, and to which office; the state is the one true today."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self):
        return (
            Obligation.objects.visible_to(self.request.user)
            .select_related("recipient_office")
            .with_state_today(timezone.localdate())
        )


class EligibilityQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False)
    recover_krw = KRWField(required=False)
    recover_on = serializers.DateField(required=False)
    recover_investment = serializers.IntegerField(required=False, min_value=1)

    def validate(self, data):
        what_if = {"recover_krw", "recover_on"} & data.keys()
        if what_if and len(what_if) != 2:
            raise serializers.ValidationError(_("A what-if needs both recover_krw and recover_on."))
        return data


class EligibilityView(APIView):
    """What the investor qualifies for on ``as_of`` (default today), the F-5 clock, and the
    reasons, each with its rule id and source. With ``recover_krw`` and ``recover_on`` (and
    optionally ``recover_investment``), the same after that hypothetical recovery, plus the
    withdrawal report it would require and its due date."""

    @extend_schema(parameters=[EligibilityQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        investor = get_object_or_404(Investor.objects.visible_to(request.user), pk=pk)
        query = EligibilityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        what_if = eligibility.what_if_for(investor, user=request.user, **query.validated_data)
        answer = eligibility.evaluate(investor, user=request.user, as_of=as_of, what_if=what_if)
        if what_if is not None:
            before = eligibility.evaluate(investor, user=request.user, as_of=as_of)
            answer["what_if"]["before"] = {
                "qualifies_for": before["qualifies_for"],
                "f5": {key: before["f5"][key] for key in ("on_track", "eligible_on", "code")},
            }
        return Response(answer)
