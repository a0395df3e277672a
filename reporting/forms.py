"""Forms of the reporting pages: filings, reviews, monthly notices, the import and sanctions.

As in ``investments.forms`` they only parse and label what a person typed; every rule is
checked by the business verb the view calls (``reporting.filings``, ``reporting.notices``,
``reporting.sanctions``, ``reporting.imports``), whose refusals the view puts back on the form
next to the field they name (``portal.forms.add_verb_errors``). Choices of investments and
institutions are limited to what the access gate lets the user see.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from investments.choices import ProgramCode, RecoveryReason
from investments.forms import KRWFormField, LedgerForm, date_field, localized_name
from investments.models import Investment
from portal.choices import INSTITUTION_KINDS
from portal.models import Organisation

from .choices import ReviewState, SanctionKind
from .models import Obligation
from .review_queue import REVIEW_DECISIONS

REMARKS_MAX = 4000


def remarks_field(label=None, help_text=""):
    return forms.CharField(
        label=label or _("Remarks"),
        required=False,
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
    )


# --- withdrawal reports -----------------------------------------------------------------------


class FileReportForm(LedgerForm):
    remarks = remarks_field(help_text=_("Printed under “Remarks” on the letter."))


class InvestmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, investment):
        return str(investment)


class UnledgeredRecoveryForm(LedgerForm):
    """A recovery the ledger does not have yet, reported at once (SPEC §5.1)."""

    investment = InvestmentChoice(label=_("Investment"), queryset=Investment.objects.none())
    recovered_on = date_field(_("Recovered on"))
    amount_krw = KRWFormField(label=_("Amount recovered (KRW)"))
    reason = forms.ChoiceField(label=_("Reason"), choices=RecoveryReason.choices)
    remarks = remarks_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investment"].queryset = (
            Investment.objects.visible_to(user)
            .select_related("investor", "unit", "project", "zone")
            .order_by("investor__full_name", "pk")
        )


class AmendReportForm(LedgerForm):
    remarks = remarks_field(
        help_text=_("The amendment is read again from the ledger as it is now, with these remarks.")
    )


class ReviewForm(LedgerForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(d.value, d.label) for d in REVIEW_DECISIONS],
        widget=forms.RadioSelect,
        initial=ReviewState.ACKNOWLEDGED,
    )
    note = remarks_field(
        label=_("Note to the institution"),
        help_text=_("Required when the report is returned: say what must be corrected."),
    )


# --- monthly notices --------------------------------------------------------------------------


class MonthInput(forms.TextInput):
    """A native month picker; browsers without one accept YYYY-MM typed in."""

    input_type = "month"


class ComputeNoticeForm(LedgerForm):
    period = forms.RegexField(
        label=_("Month"),
        regex=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$",
        widget=MonthInput(attrs={"placeholder": "YYYY-MM"}),
        error_messages={"invalid": _("Enter the month as YYYY-MM.")},
        help_text=_("Computed from the ledger as of the month's last day."),
    )
    program = forms.ChoiceField(label=_("Program"), choices=ProgramCode.choices)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programs is not None:
            self.fields["program"].choices = [c for c in ProgramCode.choices if c[0] in programs]


class RemarksForm(LedgerForm):
    remarks = remarks_field(help_text=_("The seed's last column, “Remarks”."))


class SubmitNoticeForm(LedgerForm):
    confirm_warnings = forms.BooleanField(
        label=_("I have read the warnings above and confirm the notice as it is."),
        required=False,
    )


# --- the import -------------------------------------------------------------------------------


class ImportForm(LedgerForm):
    file = forms.FileField(
        label=_("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("One error refuses the whole file; nothing is saved then."),
    )


# --- sanctions --------------------------------------------------------------------------------


def sanctionable(user):
    """Institutions ``user`` may sanction: those with obligations routed to the officer's
    office (HQ: every institution)."""
    institutions = Organisation.objects.filter(kind__in=INSTITUTION_KINDS).order_by("name")
    if user.is_hq:
        return institutions
    routed = Obligation.objects.visible_to(user).values("institution_id")
    return institutions.filter(pk__in=routed)


class SanctionForm(LedgerForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Measure"), choices=SanctionKind.choices)
    started_on = date_field(_("From"))
    ended_on = date_field(_("Until"), required=False, help_text=_("Leave empty for no end yet."))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The failures this measure answers (late or missing reports)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = sanctionable(user)
        self.fields["institution"].label_from_instance = localized_name


class LiftSanctionForm(LedgerForm):
    ended_on = date_field(_("Lifted as of"))
