"""How the admin respects the access gate and the service layer.

The admin is the first set of pages institutions use to keep their ledger, so it must obey
the same rules as the API: lists go through ``visible_to``; foreign-key choices are limited to
what the user may see; a new row is created by the business verb (``investments.services``),
never by a bare ``save()``; existing ledger rows are read-only (corrections are verbs of their
own); reference data is edited by HQ only, with history.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from simple_history.admin import SimpleHistoryAdmin

from .forms import add_verb_errors


def reference_changed():
    """Reference data the rules read (minimums, periods, programs, holidays…) changed: what is
    computed from it and stored follows (``settings.REFERENCE_FOLLOWERS``, dotted paths)."""
    for path in settings.REFERENCE_FOLLOWERS:
        import_string(path)()


class ServiceForm(forms.ModelForm):
    """A model form whose "save" is a business verb, run while the form is validated so the
    verb's refusals appear as form errors and nothing is saved."""

    user = None  # set per request by ``VerbAdmin.get_form``
    verb = None  # a function of ``investments.services``

    def verb_arguments(self, cleaned_data):
        return {name: cleaned_data.get(name) for name in self._meta.fields}

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        try:
            self.instance = type(self).verb(by=self.user, **self.verb_arguments(cleaned_data))
        except ValidationError as error:
            add_verb_errors(self, error)
        return cleaned_data

    def _post_clean(self):
        """The verb has validated and saved the instance; skip the second model validation."""


class ReferenceAdmin(SimpleHistoryAdmin):
    """Reference data: everybody signed in may read it, HQ edits it (with history)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_hq

    def has_change_permission(self, request, obj=None):
        return request.user.is_hq

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        """After the row and its inlines are saved (a zone's minimums and periods)."""
        super().save_related(request, form, formsets, change)
        reference_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reference_changed()


class GatedAdmin(SimpleHistoryAdmin):
    """Ledger rows: listed through the access gate, added by institutions through a verb."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_institution

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects, "visible_to"):
            kwargs["queryset"] = related.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Already saved by the verb in ``ServiceForm.clean``."""
