"""The portal's own endpoints of the REST API: signing in and out, offices, the event feed,
and the integrations' API keys and webhooks."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_filters import rest_framework as filters
from django_otp import match_token
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from .access import needs_second_factor
from .api_keys import issue_api_key, may_manage_keys, revoke_api_key
from .choices import ApiScope
from .events import event_payload, events_after
from .models import ApiKey, Office, WebhookDelivery, WebhookEndpoint
from .signin import SignInLocked, is_locked_out
from .throttling import AnonRateThrottle
from .tokens import issue_token
from .viewsets import ETagMixin
from .webhooks import deactivate_webhook, register_webhook

# --- a person's token (portal.tokens) ---------------------------------------------------------


class ObtainTokenView(ObtainAuthToken):
    """``{username, password}`` → ``{token}``. A failed sign-in counts towards the lockout
    (django-axes hears Django's ``user_login_failed``); once locked out, even the right password
    is answered with 429 and the cool-off in ``Retry-After``."""

    # DRF's view turns throttling off and reads JSON with its plain parser: here the
    # anonymous rate applies, and the portal's parsers with their size and depth limits.
    throttle_classes = [AnonRateThrottle]
    parser_classes = APIView.parser_classes

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            username = request.data.get("username") if hasattr(request.data, "get") else None
            if is_locked_out(request, username):
                raise SignInLocked(request)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if needs_second_factor(user):
            # The code of the user's authenticator app, as on the sign-in page
            # (portal.second_factor).
            code = "".join(str(request.data.get("otp", "")).split())
            if not code or match_token(user, code) is None:
                raise ValidationError(
                    {"otp": [_("Give the code of your authenticator app in “otp”.")]}
                )
        return Response({"token": issue_token(user).key})


class SignOutView(APIView):
    """Sign out of the API: the caller's token is deleted and refused from now on."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reference data ---------------------------------------------------------------------------


class OfficeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Office
        fields = ["code", "name", "name_ko", "parent"]


class OfficeFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Office
        fields = ["parent"]


class OfficeViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    """Immigration offices and branch offices (reference data)."""

    queryset = Office.objects.select_related("parent")
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    lookup_field = "code"


# --- the event feed (issue 13.3) --------------------------------------------------------------


class EventQuery(serializers.Serializer):
    after = serializers.IntegerField(
        required=False, default=0, min_value=0, help_text="The cursor of the last event read."
    )
    limit = serializers.IntegerField(required=False, default=100, min_value=1, max_value=1000)
    type = serializers.CharField(
        required=False, help_text="Comma-separated event types, e.g. recovery.created."
    )


class EventsView(APIView):
    """What changed since ``after``: every change the caller may see (ledger rows,
    obligations, reports, notices, reviews), in commit order. Store ``cursor`` and ask again
    with ``?after=<cursor>``; an event committed later never appears below a cursor already
    given (see ``portal.events``)."""

    @extend_schema(parameters=[EventQuery], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = EventQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        after, limit = query.validated_data["after"], query.validated_data["limit"]
        types = [t for t in query.validated_data.get("type", "").split(",") if t]
        events = events_after(request.user, after=after, limit=limit + 1, types=types)
        more, events = len(events) > limit, events[:limit]
        cursor = events[-1].position if events else after
        base = request.build_absolute_uri("/").rstrip("/")
        return Response(
            {
                "cursor": str(cursor),
                "has_more": more,
                "next": replace_query_param(request.build_absolute_uri(), "after", cursor),
                "results": [event_payload(event, base_url=base) for event in events],
            }
        )


# --- integrations: API keys and webhooks ------------------------------------------------------


class ManagesKeys(permissions.BasePermission):
    message = _("Only an institution administrator manages API keys.")

    def has_permission(self, request, view):
        return may_manage_keys(request.user)


class ApiKeySerializer(serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(ApiScope.choices))
    expires_on = serializers.DateField(write_only=True)
    issued_by = serializers.SlugRelatedField(
        source="created_by", slug_field="username", read_only=True
    )
    state = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "label",
            "prefix",
            "scopes",
            "expires_on",
            "expires_at",
            "issued_by",
            "created_at",
            "last_used_at",
            "revoked_at",
            "state",
        ]
        read_only_fields = ["prefix", "expires_at", "created_at", "last_used_at", "revoked_at"]

    def get_state(self, key) -> str:
        if key.revoked_at:
            return "revoked"
        return "active" if key.is_usable() else "expired"


class ApiKeyViewSet(
    ETagMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The organisation's API keys, for its institution administrators (people, not keys).
    ``POST`` issues one and answers its ``key`` once; ``revoke`` takes effect at once."""

    queryset = ApiKey.objects.none()  # the model, for the schema; get_queryset answers
    serializer_class = ApiKeySerializer
    permission_classes = [permissions.IsAuthenticated, ManagesKeys]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return ApiKey.objects.filter(organisation_id=self.request.user.organisation_id)

    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        key, secret = issue_api_key(by=request.user, **body.validated_data)
        return Response({**self.get_serializer(key).data, "key": secret}, status=201)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        key = revoke_api_key(by=request.user, key=self.get_object())
        return Response(self.get_serializer(key).data)


class DeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.type")
    cursor = serializers.IntegerField(source="event.position")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_type",
            "cursor",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]


class WebhookSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.CharField(max_length=64), required=False)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "event_types", "is_active", "created_at"]
        read_only_fields = ["is_active", "created_at"]


class WebhookViewSet(
    ETagMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Webhooks receiving the events the caller may see, signed with HMAC-SHA256 (see
    ``portal.webhooks``). ``POST`` answers the signing ``secret`` once; ``deliveries`` is the
    delivery log; ``deactivate`` stops deliveries."""

    queryset = WebhookEndpoint.objects.none()  # the model, for the schema
    serializer_class = WebhookSerializer
    write_scope = ApiScope.LEDGER_READ  # a webhook reads what its owner may read

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return WebhookEndpoint.objects.filter(owner=self.request.user)

    def create(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = register_webhook(by=request.user, **body.validated_data)
        return Response(
            {**self.get_serializer(endpoint).data, "secret": endpoint.secret}, status=201
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        endpoint = deactivate_webhook(by=request.user, endpoint=self.get_object())
        return Response(self.get_serializer(endpoint).data)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True)
    def deliveries(self, request, pk=None):
        rows = self.get_object().deliveries.select_related("event")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under ``/api/v1/``: a JSON 404 like every other API answer (the
    schema declares it), not the HTML page a browser gets. Exempt from CSRF because it changes
    nothing: a POST to a wrong address is "not found", not "forbidden"."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
