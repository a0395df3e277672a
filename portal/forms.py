"""Forms of the portal's own pages."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ApiScope


def in_90_days():
    return timezone.localdate() + timedelta(days=90)


class IssueKeyForm(forms.Form):
    label = forms.CharField(
        label=_("System"), max_length=100, help_text=_("e.g. “ERP nightly sync”")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"), initial=in_90_days, widget=forms.DateInput(attrs={"type": "date"})
    )
