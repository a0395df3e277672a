from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .access import is_headquarters, reviews
from .admin_gates import ReferenceAdmin
from .models import (
    DesignationEvent,
    Office,
    Organisation,
    ProxyAgent,
    ReservationService,
    User,
)

admin.site.site_header = _("Investment immigration registry")
admin.site.site_title = _("Investment immigration registry")
admin.site.index_title = _("Registry and reporting")


class ServiceInline(admin.TabularInline):
    model = ReservationService
    extra = 0


@admin.register(Office)
class OfficeAdmin(ReferenceAdmin):
    list_display = ["name", "name_ko", "code", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_ko", "code"]
    inlines = [ServiceInline]


class DesignationInline(admin.TabularInline):
    model = DesignationEvent
    extra = 0
    fields = ["status", "effective_on", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


class ProxyAgentInline(admin.TabularInline):
    """Who besides the representative files proxy applications (seed §6.I, §7.E)."""

    model = ProxyAgent
    extra = 0
    fields = ["name", "position", "active"]


@admin.register(Organisation)
class OrganisationAdmin(ReferenceAdmin):
    list_display = ["name", "name_ko", "kind", "office", "designation_status"]
    list_filter = ["kind", "designation_status"]
    list_select_related = ["office"]
    inlines = [DesignationInline, ProxyAgentInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        return queryset if reviews(user) else queryset.filter(pk=user.organisation_id)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["organisation", "is_institution_admin"]}),
    ]
    list_display = ["username", "organisation", "is_institution_admin", "is_active", "last_login"]
    list_select_related = ["organisation"]

    def has_module_permission(self, request):
        return is_headquarters(request.user)

    def has_view_permission(self, request, obj=None):
        return is_headquarters(request.user)

    def has_add_permission(self, request):
        return is_headquarters(request.user)

    def has_change_permission(self, request, obj=None):
        return is_headquarters(request.user)

    def has_delete_permission(self, request, obj=None):
        return False
