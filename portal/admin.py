from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import is_headquarters, reviews
from .admin_gates import HeadquartersEdits, HeadquartersRecordAdmin, ReferenceAdmin
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
class UserAdmin(HeadquartersEdits, BaseUserAdmin):
    """Accounts: HQ alone reads and edits them."""

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


@admin.register(AccessAttempt)
class SignInLockoutAdmin(HeadquartersRecordAdmin):
    """Failed sign-ins counted by django-axes (``portal.signin``): HQ sees who is locked out
    and unlocks an account early by deleting its row. Registered here rather than through
    Axes' own admin so that its columns speak the portal's languages."""

    list_display = ["last_failure", "account", "address", "entry", "failures"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["last_failure", "account", "address", "entry", "failures", "user_agent"]
    readonly_fields = fields

    # Axes' own field names are English only: the columns are named here.
    @admin.display(description=_("Last failure"), ordering="attempt_time")
    def last_failure(self, attempt):
        return attempt.attempt_time

    @admin.display(description=_("Username"), ordering="username")
    def account(self, attempt):
        return attempt.username

    @admin.display(description=_("Address"), ordering="ip_address")
    def address(self, attempt):
        return attempt.ip_address

    @admin.display(description=_("Page"), ordering="path_info")
    def entry(self, attempt):
        return attempt.path_info

    @admin.display(description=_("Failures"), ordering="failures_since_start")
    def failures(self, attempt):
        return attempt.failures_since_start

    hq_may_delete = True


# django-otp's own admin shows a QR code of each secret and speaks English only; HQ needs only
# to see who has an authenticator app and to remove a lost one (the owner then sets up a new
# one at the next sign-in).
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorAdmin(HeadquartersRecordAdmin):
    list_display = ["account", "set_up"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["account", "set_up"]
    readonly_fields = fields

    @admin.display(description=_("Username"), ordering="user__username")
    def account(self, device):
        return device.user.username

    @admin.display(description=_("Set up"), boolean=True, ordering="confirmed")
    def set_up(self, device):
        return device.confirmed

    hq_may_delete = True
