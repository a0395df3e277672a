"""Admin pages of reference data (HQ edits) and of the ledger (institutions add rows through
the business verbs; everybody sees only what the access gate allows)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.access import reviews
from portal.admin_gates import GatedAdmin, HeadquartersRecordAdmin, ReferenceAdmin, ServiceForm

from . import services
from .forms import identifier_field
from .models import (
    DisqualificationKind,
    FacilityType,
    ImplementationPeriod,
    Investment,
    Investor,
    Lapse,
    MinimumAmount,
    Payment,
    PersonalDataAccess,
    Program,
    Project,
    RecoveryReasonRule,
    RuleSetting,
    StatusCode,
    StatusGrant,
    StatusRule,
    Zone,
)

# --- reference data ---------------------------------------------------------------------------


class PeriodInline(admin.TabularInline):
    model = ImplementationPeriod
    extra = 0


class ThresholdInline(admin.TabularInline):
    model = MinimumAmount
    extra = 0
    fields = ["program", "track", "minimum_krw", "effective_from", "effective_to", "source"]


@admin.register(Zone)
class ZoneAdmin(ReferenceAdmin):
    list_display = ["code", "name", "name_ko", "office", "office_verified"]
    list_select_related = ["office"]
    filter_horizontal = ["facility_types"]
    inlines = [ThresholdInline, PeriodInline]


@admin.register(Program)
class ProgramAdmin(ReferenceAdmin):
    list_display = [
        "code",
        "name",
        "withdrawal_report_days",
        "notice_due_day",
        "guideline_enforced_on",
    ]


@admin.register(MinimumAmount)
class MinimumAmountAdmin(ReferenceAdmin):
    list_display = [
        "__str__",
        "program",
        "zone",
        "track",
        "minimum_krw",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["program", "zone", "track"]
    list_select_related = ["program", "zone"]


@admin.register(Project)
class ProjectAdmin(ReferenceAdmin):
    list_display = ["code", "name", "name_ko", "kind", "office", "operator"]
    list_select_related = ["office", "operator"]


admin.site.register(FacilityType, ReferenceAdmin)
admin.site.register(
    StatusCode, ReferenceAdmin, list_display=["code", "name", "program", "role", "legacy"]
)

admin.site.register(
    RuleSetting, ReferenceAdmin, list_display=["key", "value", "description", "source"]
)
admin.site.register(
    DisqualificationKind, ReferenceAdmin, list_display=["code", "name", "years", "source"]
)
admin.site.register(
    StatusRule, ReferenceAdmin, list_display=["key", "code", "precedence", "source"]
)
admin.site.register(
    RecoveryReasonRule,
    ReferenceAdmin,
    list_display=["program", "reason", "source"],
    list_filter=["program"],
)


# --- ledger -----------------------------------------------------------------------------------


class InvestorForm(ServiceForm):
    verb = services.register_investor
    passport_number = identifier_field(_("passport number"))
    alien_registration_number = identifier_field(
        _("alien registration number"), required=False, help_text=""
    )

    class Meta:
        model = Investor
        fields = list(services.INVESTOR_FIELDS)


@admin.register(Investor)
class InvestorAdmin(GatedAdmin):
    form = InvestorForm
    list_display = [
        "full_name",
        "nationality",
        "date_of_birth",
        "passport_number_masked",
        "institution",
    ]
    list_filter = ["nationality", "kind"]
    search_fields = ["full_name"]
    list_select_related = ["institution"]
    readonly_fields = ["passport_number_masked", "alien_registration_number_masked"]

    # The model's masked numbers, with a label the admin can translate.
    @admin.display(description=_("passport number (masked)"))
    def passport_number_masked(self, investor):
        return investor.passport_number_masked

    @admin.display(description=_("alien registration number (masked)"))
    def alien_registration_number_masked(self, investor):
        return investor.alien_registration_number_masked

    def get_fields(self, request, obj=None):
        if obj is None:
            return InvestorForm.Meta.fields
        return [
            "institution",
            "kind",
            "full_name",
            "nationality",
            "date_of_birth",
            "passport_number_masked",
            "alien_registration_number_masked",
            "email",
        ]


class InvestmentForm(ServiceForm):
    verb = services.record_investment
    property_name = forms.CharField(label=_("property name"), max_length=200, required=False)
    unit_number = forms.CharField(label=_("unit"), max_length=50, required=False)
    facility_type = forms.ModelChoiceField(
        FacilityType.objects.all(), required=False, label=_("facility type")
    )

    class Meta:
        model = Investment
        fields = list(services.INVESTMENT_FIELDS)


@admin.register(Investment)
class InvestmentAdmin(GatedAdmin):
    form = InvestmentForm
    list_display = [
        "__str__",
        "program",
        "zone",
        "project",
        "contract_date",
        "contract_amount_krw",
        "office",
        "institution",
    ]
    list_filter = ["program", "zone", "investor_class"]
    date_hierarchy = "contract_date"
    list_select_related = ["investor", "zone", "project", "office", "institution", "unit"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return InvestmentForm.Meta.fields
        return [
            "investor",
            "institution",
            "program",
            "zone",
            "project",
            "unit",
            "investor_class",
            "contract_date",
            "contract_amount_krw",
            "registered_on",
            "prescreened_on",
            "office",
        ]


def verb_form(model_class, verb_function, field_names):
    """A ServiceForm for a plain ledger row whose form fields are the verb's arguments."""
    meta = type("Meta", (), {"model": model_class, "fields": field_names})
    return type(
        f"{model_class.__name__}Form", (ServiceForm,), {"Meta": meta, "verb": verb_function}
    )


@admin.register(Payment)
class PaymentAdmin(GatedAdmin):
    form = verb_form(
        Payment,
        services.record_payment,
        ["investment", "paid_on", "amount_krw", "kind", "currency", "original_amount"],
    )
    list_display = ["investment", "paid_on", "amount_krw", "kind", "currency"]
    list_filter = ["kind"]
    date_hierarchy = "paid_on"
    list_select_related = ["investment__investor"]


@admin.register(Lapse)
class LapseAdmin(GatedAdmin):
    form = verb_form(Lapse, services.record_lapse, ["investment", "kind", "started_on", "ended_on"])
    list_display = ["investment", "kind", "started_on", "ended_on"]
    list_filter = ["kind"]
    list_select_related = ["investment__investor"]


class StatusGrantForm(ServiceForm):
    verb = services.grant_status
    code = forms.ModelChoiceField(StatusCode.objects.all(), to_field_name="code", label=_("code"))

    class Meta:
        model = StatusGrant
        fields = ["investor", "code", "granted_on", "expires_on"]

    def verb_arguments(self, cleaned_data):
        return {**super().verb_arguments(cleaned_data), "code": cleaned_data["code"].code}


@admin.register(StatusGrant)
class StatusGrantAdmin(GatedAdmin):
    form = StatusGrantForm
    list_display = ["investor", "code", "granted_on", "expires_on"]
    list_filter = ["code"]
    list_select_related = ["investor"]

    def has_add_permission(self, request):
        return reviews(request.user)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(HeadquartersRecordAdmin):
    """The log of clear identification numbers read: HQ audits it; nobody edits it."""

    list_display = ["at", "user", "address", "investor", "action", "purpose"]
    list_select_related = ["user", "investor"]
