"""Corrections from the investor page (issue 11, item 3): correct a client's details, void a
wrong payment, recovery, lapse or grant, and merge a duplicate record into this one.

Each is a small form with its reason and a confirmation in the browser; the work is done by
the verbs, which keep the history: ``investments.services.correct_investor``,
``merge_investors`` and ``void_entry`` — for a recovery ``reporting.services.void_recovery``,
which also cancels its withdrawal-report obligation unless the report was filed. The views
only find what the user may see (404 otherwise), parse and redirect to the investor page.
"""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from investments import services
from investments.forms import CorrectInvestorForm, MergeForm, RelativeForm, VoidForm
from investments.models import Investor, Lapse, Payment, Recovery, StatusGrant
from investments.views.entries import investor_page, investor_url
from portal.money import format_krw
from portal.web import form_page, submit

from .. import services as reporting

#: The details the correction form shows as they are; the passport and alien registration
#: numbers are never shown in full, so a correction types them anew.
PREFILLED = ("kind", "full_name", "nationality", "date_of_birth", "email", "residence_office")
#: The entries a page can void, by the name in their URL.
VOIDABLE = {"payment": Payment, "recovery": Recovery, "lapse": Lapse, "grant": StatusGrant}


def void_verb(kind):
    """A recovery is voided with its withdrawal-report obligation; the rest by ``void_entry``."""
    if kind == "recovery":
        return lambda *, by, entry, reason: reporting.void_recovery(
            by=by, recovery=entry, reason=reason
        )
    return services.void_entry


def own_investor(request, pk):
    investor = get_object_or_404(
        Investor.objects.visible_to(request.user).select_related("institution"), pk=pk
    )
    services.require_institution(request.user)
    return investor


def investor_form(request, form, investor, title, confirm=""):
    """A form of the investor page, about ``investor``, cancelled back to its page."""
    back = investor_url(investor.pk)
    return form_page(request, form, title=title, subject=investor, cancel_url=back, confirm=confirm)


@login_required
def investor_correct(request, pk):
    investor = own_investor(request, pk)
    initial = {field: getattr(investor, field) for field in PREFILLED}
    form = CorrectInvestorForm(request.POST or None, initial=initial)

    def changes(data):
        return {"reason": data["reason"], **form.changes(investor)}

    verb = partial(services.correct_investor, by=request.user, investor=investor)
    message = _("The client's details were corrected.")
    done = submit(request, form, verb, arguments=changes, message=message, to=investor_page)
    title = _("Correct the client's details")
    confirm = _("Correct this client's details? The change is kept in the history.")
    return done or investor_form(request, form, investor, title, confirm)


@login_required
def investor_merge(request, pk):
    survivor = own_investor(request, pk)
    form = MergeForm(request.POST or None, survivor=survivor)

    def merged(_survivor):
        duplicate = form.cleaned_data["duplicate"].full_name
        return _("%(duplicate)s was merged into this record.") % {"duplicate": duplicate}

    verb = partial(services.merge_investors, by=request.user, survivor=survivor)
    done = submit(request, form, verb, message=merged, to=investor_url(survivor.pk))
    title = _("Merge a duplicate record")
    confirm = _("Merge the chosen record into this one? This cannot be undone from the page.")
    return done or investor_form(request, form, survivor, title, confirm)


@login_required
def entry_void(request, kind, pk):
    if kind not in VOIDABLE:
        raise Http404
    model = VOIDABLE[kind]
    entry = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    back = investor_url(entry.investor_id if model is StatusGrant else entry.investment.investor_id)
    form = VoidForm(request.POST or None)
    verb = partial(void_verb(kind), by=request.user, entry=entry)
    message = _("The entry was voided; it stays in the history.")
    done = submit(request, form, verb, message=message, to=back)
    title, subject = _("Void a wrong entry"), entry_label(kind, entry)
    confirm = _("Void this entry? It will no longer count anywhere.")
    return done or form_page(
        request, form, title=title, subject=subject, cancel_url=back, confirm=confirm
    )


def entry_label(kind, entry):
    """What is voided, in words: kind, day and amount or code."""
    if kind == "payment":
        return _("Payment of %(amount)s on %(day)s") % {
            "amount": format_krw(entry.amount_krw),
            "day": entry.paid_on.isoformat(),
        }
    if kind == "recovery":
        return _("Recovery of %(amount)s on %(day)s") % {
            "amount": format_krw(entry.amount_krw),
            "day": entry.recovered_on.isoformat(),
        }
    if kind == "lapse":
        return _("Lapse (%(kind)s) from %(day)s") % {
            "kind": entry.get_kind_display(),
            "day": entry.started_on.isoformat(),
        }
    return _("Residence status %(code)s granted on %(day)s") % {
        "code": entry.code_id,
        "day": entry.granted_on.isoformat(),
    }


@login_required
def relative_create(request, pk):
    """Record a spouse, child, executive or shareholder (issue 11, item 4)."""
    investor = own_investor(request, pk)
    form = RelativeForm(request.POST or None)

    def recorded(relative):
        return _("%(name)s recorded.") % {"name": relative}

    verb = partial(services.record_relative, by=request.user, investor=investor)
    back = investor_url(investor.pk) + "#family-h"
    done = submit(request, form, verb, message=recorded, to=back)
    return done or investor_form(request, form, investor, _("Record a relative"))
