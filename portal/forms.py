"""Forms of the portal's own pages, and how a verb's refusal reaches any form."""

from datetime import timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ApiScope


def field_messages(error):
    """A Django ``ValidationError`` (as the verbs raise it) as ``(field, message)`` pairs;
    ``field`` is None for what concerns no single field. Forms, the admin, the API and the
    import all read a refusal through this."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                yield (None if field == NON_FIELD_ERRORS else field), message
    else:
        for message in error.messages:
            yield None, message


def add_verb_errors(form, error):
    """Show a verb's ValidationError on the form: under the field it names when the form has
    that field, otherwise above the form."""
    for field, message in field_messages(error):
        form.add_error(field if field in form.fields else None, message)


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
