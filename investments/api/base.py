"""What every ledger viewset shares: who may write (``KeepsLedger``, ``RecordsStatus``), the
add-list-read base (``CreateListRetrieve``, lists leaving out what was voided or merged unless
asked) and the ``void`` action of payments, recoveries, lapses and grants (issue 11.3)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action

from portal.access import reviews
from portal.choices import ApiScope
from portal.rest import IF_MATCH
from portal.viewsets import ETagMixin

from .. import services


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
    """Ledger rows are added and read here; corrections are their own verbs. Whoever sees a
    row reads it; only an institution that keeps a ledger writes (``KeepsLedger``)."""

    permission_classes = [permissions.IsAuthenticated, KeepsLedger]
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
        return self.correct(
            request,
            lambda entry, body: self.void_entry(by=request.user, entry=entry, **body),
            body=ReasonSerializer,
        )

    def void_entry(self, *, by, entry, reason):
        return services.void_entry(by=by, entry=entry, reason=reason)


VOID_FIELDS = ["voided_at", "void_reason"]
