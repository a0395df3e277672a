"""How the admin respects the access gate and the service layer.

The admin is the first set of pages institutions use to keep their ledger, so it must obey
the same rules as the API: lists go through ``visible_to``; foreign-key choices are limited to
what the user may see; a new row is created by the business verb (``investments.services``),
never by a bare ``save()``; existing ledger rows are read-only (corrections are verbs of their
own); reference data is edited by HQ only, with history.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from simple_history.admin import SimpleHistoryAdmin

from .access import is_headquarters, keeps_ledger, may_use_admin
from .forms import add_verb_errors


def reference_changed():
    """Reference data the rules read (minimums, periods, programs, holidays…) changed: what is
    computed from it and stored follows (``settings.REFERENCE_FOLLOWERS``, dotted paths)."""
    for path in settings.REFERENCE_FOLLOWERS:
        import_string(path)()


class PortalAdminSite(admin.AdminSite):
    """Only HQ administrators sign in here; everybody else is sent to the admin's login page,
    which refuses them like a wrong password."""

    def has_permission(self, request):
        return may_use_admin(request.user)


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


class GatedHistoryMixin:
    """django-simple-history's history list and history detail views look the object up
    without the admin's query set (the detail view not at all). Both are reached here only
    when the current row is visible to the user through ``get_queryset`` (``visible_to``);
    otherwise the object is not found, as elsewhere."""

    def require_visible(self, request, object_id):
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            raise Http404  # reference data kept without history (facility types, codes)
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self.require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class HeadquartersEdits:
    """HQ adds and changes the rows; nobody deletes one through the admin. Who may see them is
    the admin class's own choice."""

    def has_add_permission(self, request):
        return is_headquarters(request.user)

    def has_change_permission(self, request, obj=None):
        return is_headquarters(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceAdmin(HeadquartersEdits, GatedHistoryMixin, SimpleHistoryAdmin):
    """Reference data: everybody signed in may read it, HQ edits it (with history)."""

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def save_related(self, request, form, formsets, change):
        """After the row and its inlines are saved (a zone's minimums and periods)."""
        super().save_related(request, form, formsets, change)
        reference_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reference_changed()


class GatedAdmin(GatedHistoryMixin, SimpleHistoryAdmin):
    """Ledger rows: listed through the access gate, added by institutions through a verb."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return keeps_ledger(request.user)

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


class HeadquartersRecordAdmin(admin.ModelAdmin):
    """A record the portal writes and only HQ reads in the admin (lockouts, second-factor
    devices, the personal-data access log): nobody adds or changes one here; HQ deletes one
    when ``hq_may_delete`` (lifting a lockout, a lost phone), never an audit record."""

    hq_may_delete = False

    def has_module_permission(self, request):
        return is_headquarters(request.user)

    def has_view_permission(self, request, obj=None):
        return is_headquarters(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.hq_may_delete and is_headquarters(request.user)
