"""Forms of the ledger pages.

They only parse what a person typed (dates, whole KRW, choices from reference data) and
label it; every rule is checked again by the business verb in ``investments.services`` the
view calls, whose refusals the view puts back on the form (``portal.forms.add_verb_errors``).
Choices of investors and investments are limited to what the access gate lets the user see.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from portal.choices import OrganisationKind
from portal.models import Office
from portal.money import MoneyError, parse_krw
from portal.names import country_names

from . import services
from .choices import (
    InvestorClass,
    InvestorKind,
    LapseKind,
    PaymentKind,
    ProgramCode,
    RecoveryReason,
    Relation,
)
from .models import FacilityType, Investor, Project, StatusCode, Zone


class DateInput(forms.DateInput):
    """A native date picker; ISO values so the browser and the server agree."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


STORED_MASKED = _("Stored encrypted and shown masked.")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


def identifier_field(label, *, required=True, help_text=STORED_MASKED):
    """A passport or alien registration number: typed, never suggested by the browser."""
    return forms.CharField(
        label=label,
        max_length=30,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class KRWFormField(forms.Field):
    """A positive whole number of KRW. Thousands separators are accepted ("1,000,000");
    decimals, signs and floats are refused (money is never a float)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Whole won; thousands separators are allowed."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_krw(value, separators=True)
        except MoneyError as error:
            raise forms.ValidationError(error.message, code="invalid") from None


def countries():
    """Nationality choices, evaluated per request so they follow the language."""
    language = (get_language() or "en").split("-")[0]
    return [("", "—"), *((code, f"{name} ({code})") for code, name in country_names(language))]


def localized_name(obj):
    """A reference row's name in the page's language (``LocalNamed``), for choice labels."""
    return obj.local_name


class LedgerForm(forms.Form):
    """Required fields are marked on their label (and by the ``required`` attribute)."""

    required_css_class = "required"


# --- investors --------------------------------------------------------------------------------


class InvestorForm(LedgerForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InvestorKind.choices, initial=InvestorKind.PERSON
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=countries, help_text=_("As in the passport.")
    )
    date_of_birth = date_field(
        _("Date of birth"), required=False, help_text=_("Required for a natural person.")
    )
    passport_number = identifier_field(_("Passport number"))
    alien_registration_number = identifier_field(
        _("Alien registration number"), required=False, help_text=""
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    residence_office = forms.ModelChoiceField(
        label=_("Residence office"),
        queryset=Office.objects.all(),
        required=False,
        help_text=_(
            "The immigration office with jurisdiction over the place of residence: a "
            "registered foreign resident applies there."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_office"].label_from_instance = localized_name


# --- investments ------------------------------------------------------------------------------


class InvestmentForm(LedgerForm):
    """Tourism units name a zone, property, unit and facility type; public-interest
    investments name a project. Both groups are shown; the verb checks the right one is set."""

    TOURISM_FIELDS = ("zone", "property_name", "unit_number", "facility_type")
    PUBLIC_INTEREST_FIELDS = ("project",)

    investor = forms.ModelChoiceField(label=_("Investor"), queryset=Investor.objects.none())
    program = forms.ChoiceField(label=_("Program"), choices=ProgramCode.choices)
    investor_class = forms.ChoiceField(label=_("Investor class"), choices=InvestorClass.choices)
    contract_date = date_field(_("Contract date"))
    contract_amount_krw = KRWFormField(label=_("Contract amount (KRW)"))
    registered_on = date_field(
        _("Ownership/membership registered on"),
        required=False,
        help_text=_("Leave empty until the registration is done."),
    )
    prescreened_on = date_field(_("Pre-screening date"), required=False)
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=Zone.objects.all(), to_field_name="code", required=False
    )
    property_name = forms.CharField(label=_("Property name"), max_length=200, required=False)
    unit_number = forms.CharField(label=_("Unit"), max_length=50, required=False)
    facility_type = forms.ModelChoiceField(
        label=_("Facility type"),
        queryset=FacilityType.objects.all(),
        to_field_name="code",
        required=False,
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.all(), to_field_name="code", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investor"].queryset = Investor.objects.visible_to(user)
        for field in ("zone", "facility_type", "project"):
            self.fields[field].label_from_instance = localized_name
        if user.organisation.kind != OrganisationKind.SALES_COMPANY:
            # KDB and project operators take public-interest investments only.
            self.initial.setdefault("program", ProgramCode.PUBLIC_INTEREST)
            self.initial.setdefault("investor_class", InvestorClass.DEPOSITOR)

    def clean(self):
        """Only the group of the chosen program is recorded (the form shows both)."""
        data = super().clean()
        tourism = data.get("program") == ProgramCode.TOURISM
        for name in self.PUBLIC_INTEREST_FIELDS if tourism else self.TOURISM_FIELDS:
            data[name] = None if isinstance(self.fields[name], forms.ModelChoiceField) else ""
        return data

    def group(self, names):
        return [self[name] for name in names]

    def main_fields(self):
        skip = {*self.TOURISM_FIELDS, *self.PUBLIC_INTEREST_FIELDS}
        return [field for field in self if field.name not in skip]

    def tourism_fields(self):
        return self.group(self.TOURISM_FIELDS)

    def public_interest_fields(self):
        return self.group(self.PUBLIC_INTEREST_FIELDS)


# --- money movements and lapses of one investment ------------------------------------------------


class OnInvestmentForm(LedgerForm):
    """A form recording something on one investment (whose program limits the choices)."""

    def __init__(self, *args, investment, **kwargs):
        super().__init__(*args, **kwargs)
        self.investment = investment


class PaymentForm(OnInvestmentForm):
    paid_on = date_field(_("Paid on"))
    amount_krw = KRWFormField(label=_("Amount (KRW)"))
    kind = forms.ChoiceField(label=_("Kind of payment"), choices=PaymentKind.choices)
    currency = forms.CharField(
        label=_("Original currency"),
        max_length=3,
        initial="KRW",
        help_text=_("ISO 4217 code, e.g. USD."),
    )
    original_amount = forms.DecimalField(
        label=_("Amount in the original currency"),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("Required when the currency is not KRW."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = services.payment_kinds(self.investment)
        self.fields["kind"].choices = [c for c in PaymentKind.choices if c[0] in kinds]

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


class RecoveryForm(OnInvestmentForm):
    recovered_on = date_field(_("Recovered on"))
    amount_krw = KRWFormField(label=_("Amount recovered (KRW)"))
    reason = forms.ChoiceField(label=_("Reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.recovery_reasons(self.investment.program)
        self.fields["reason"].choices = [c for c in RecoveryReason.choices if c[0] in allowed]


class LapseForm(OnInvestmentForm):
    kind = forms.ChoiceField(label=_("Kind of lapse"), choices=LapseKind.choices)
    started_on = date_field(_("From"))
    ended_on = date_field(
        pgettext_lazy("end of a period", "To"),
        required=False,
        help_text=_("Leave empty while it lasts."),
    )


class GrantForm(LedgerForm):
    code = forms.ModelChoiceField(
        label=_("Residence status"),
        queryset=StatusCode.objects.all(),
        to_field_name="code",
    )
    granted_on = date_field(_("Granted on"))
    expires_on = date_field(_("Expires on"), required=False)


class RevealForm(LedgerForm):
    """An officer's or HQ's request for one clear identification number (SPEC §7)."""

    number = forms.ChoiceField(
        label=_("Number"),
        choices=[
            ("passport", _("Passport number")),
            ("alien_registration", _("Alien registration number")),
        ],
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("Why you need the clear number. It is kept in the access log."),
    )


# --- the what-if on the investor page ------------------------------------------------------------


class WhatIfForm(LedgerForm):
    """ "If KRW X is recovered on date D": read from the query string, checked by
    ``reporting.eligibility.what_if_for``."""

    recover_krw = KRWFormField(label=_("Recover (KRW)"))
    recover_on = date_field(_("On"))
    recover_investment = forms.TypedChoiceField(
        label=_("From investment"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Default: the investment holding the most."),
    )

    def __init__(self, *args, investments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recover_investment"].choices = [
            ("", "—"),
            *((i.pk, f"#{i.pk} {i.place}") for i in investments),
        ]


# --- corrections (issue 11.3) -----------------------------------------------------------------


def reason_field():
    return forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history with who made the correction and when."),
    )


KEEP_ON_RECORD = _("Leave blank to keep the number on record.")


class CorrectInvestorForm(LedgerForm):
    """The client's details as they should be. Identity numbers are never shown back (they
    are stored encrypted and shown masked): a blank one is left as it is."""

    kind = InvestorForm.base_fields["kind"]
    full_name = InvestorForm.base_fields["full_name"]
    nationality = forms.ChoiceField(label=_("Nationality"), choices=countries)
    date_of_birth = InvestorForm.base_fields["date_of_birth"]
    passport_number = identifier_field(
        _("Corrected passport number"), required=False, help_text=KEEP_ON_RECORD
    )
    alien_registration_number = identifier_field(
        _("Corrected alien registration number"), required=False, help_text=KEEP_ON_RECORD
    )
    email = InvestorForm.base_fields["email"]
    residence_office = InvestorForm.base_fields["residence_office"]
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence_office"].label_from_instance = localized_name

    KEPT_WHEN_BLANK = ("passport_number", "alien_registration_number")

    def changes(self, investor):
        """What differs from the record, as ``correct_investor`` takes it."""
        data = dict(self.cleaned_data)
        data.pop("reason")
        for field in self.KEPT_WHEN_BLANK:
            if not data[field]:
                data.pop(field)
        return {
            field: value
            for field, value in data.items()
            if field in self.KEPT_WHEN_BLANK or getattr(investor, field) != value
        }


class VoidForm(LedgerForm):
    reason = reason_field()


class MergeForm(LedgerForm):
    duplicate = forms.ModelChoiceField(
        label=_("Duplicate record to merge into this one"),
        queryset=Investor.objects.none(),
        help_text=_("Its investments, grants and family move to this record."),
    )
    reason = reason_field()

    def __init__(self, *args, survivor, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate"]
        field.queryset = (
            Investor.objects.filter(institution=survivor.institution_id)
            .exclude(pk=survivor.pk)
            .order_by("full_name", "pk")
        )
        field.label_from_instance = lambda investor: (
            f"{investor.full_name} · {investor.nationality} · "
            f"{investor.passport_number_masked} (#{investor.pk})"
        )


# --- family (issue 11.4) ----------------------------------------------------------------------


class RelativeForm(LedgerForm):
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    nationality = forms.ChoiceField(label=_("Nationality"), choices=countries)
    date_of_birth = date_field(_("Date of birth"))
    passport_number = identifier_field(_("Passport number"), required=False)
