from django.contrib import admin

from investments.models import Recovery
from portal.admin_gates import GatedAdmin, ReferenceAdmin, ServiceForm

from . import services
from .models import HolidayAdjustment, Obligation


class RecoveryForm(ServiceForm):
    verb = services.record_recovery

    class Meta:
        model = Recovery
        fields = ["investment", "recovered_on", "amount_krw", "reason"]


@admin.register(Recovery)
class RecoveryAdmin(GatedAdmin):
    form = RecoveryForm
    list_display = ["investment", "recovered_on", "amount_krw", "reason", "is_full"]
    list_filter = ["reason", "is_full"]
    list_select_related = ["investment__investor"]


@admin.register(Obligation)
class ObligationAdmin(GatedAdmin):
    list_display = ["__str__", "institution", "recipient_office", "due_on", "state", "filed_on"]
    list_filter = ["kind", "state", "program"]
    date_hierarchy = "due_on"
    list_select_related = ["institution", "recipient_office"]

    def has_add_permission(self, request):
        return False


@admin.register(HolidayAdjustment)
class HolidayAdjustmentAdmin(ReferenceAdmin):
    """HQ corrects the holiday calendar; open obligations' due dates follow at once."""

    list_display = ["day", "change", "name", "source"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.recompute_due_dates()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.recompute_due_dates()
