"""The compliance page (SPEC §5.3; seed §6.H, §7.F): each institution's record of withdrawal
reports and monthly notices filed on time, late, or overdue now; the sanctions in force with a
form to lift them; and a form to record a sanction. Officers act for their office on the
institutions reporting to it, HQ on any; an institution sees its own record, read-only.
Writes go through ``reporting.sanctions``."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import reviews
from portal.models import Organisation
from portal.web import submit

from .. import sanctions
from ..filters import ComplianceOrdering
from ..forms import LiftSanctionForm, SanctionForm
from ..models import Obligation, Sanction


def require_reviewer(user):
    if not reviews(user):
        raise PermissionDenied(_("Only an immigration officer or HQ records a sanction."))


def lift_prefix(sanction):
    return f"lift-{sanction.pk}"


def compliance_rows(user, query=None):
    """Each visible institution's record with its name (two queries): worst first, or in
    the order a column header of the page asked for (``query``'s ``ordering``)."""
    table = sanctions.compliance_table(Obligation.objects.visible_to(user))
    rows = ComplianceOrdering(query, queryset=table.order_by("-failures", "institution__name")).qs
    rows = list(rows)
    names = Organisation.objects.in_bulk([row["institution_id"] for row in rows])
    return [
        (names[row["institution_id"]], sanctions.compliance_record(row))
        for row in rows
        if row["institution_id"] in names
    ]


def sanction_page(request, *, form=None, lift_forms=None, status=200):
    user = request.user
    today = timezone.localdate()
    writes = reviews(user)
    visible = Sanction.objects.visible_to(user).select_related("institution", "office")
    in_force = list(visible.in_force(today))
    lift_forms = lift_forms or {}
    if writes:
        for sanction in in_force:
            sanction.lift_form = lift_forms.get(sanction.pk) or LiftSanctionForm(
                prefix=lift_prefix(sanction), initial={"ended_on": today}
            )
    context = {
        "records": compliance_rows(user, request.GET),
        "in_force": in_force,
        "past": visible.exclude(pk__in=[s.pk for s in in_force]),
        "form": (form or SanctionForm(user=user, initial={"started_on": today}))
        if writes
        else None,
        "today": today,
    }
    return render(request, "reporting/sanction_list.html", context, status=status)


@login_required
def sanction_list(request):
    return sanction_page(request)


def recorded(sanction):
    return _("%(kind)s recorded against %(institution)s from %(day)s.") % {
        "kind": sanction.get_kind_display(),
        "institution": sanction.institution.local_name,
        "day": sanction.started_on.isoformat(),
    }


@login_required
@require_POST
def sanction_create(request):
    require_reviewer(request.user)
    form = SanctionForm(request.POST, user=request.user)
    verb = partial(sanctions.record_sanction, by=request.user)
    done = submit(request, form, verb, message=recorded, to="sanction-list")
    return done or sanction_page(request, form=form, status=400)


@login_required
@require_POST
def sanction_lift(request, pk):
    sanction = get_object_or_404(
        Sanction.objects.visible_to(request.user).select_related("institution"), pk=pk
    )
    require_reviewer(request.user)
    form = LiftSanctionForm(request.POST, prefix=lift_prefix(sanction))

    def lifted(sanction):
        return _("Sanction against %(institution)s lifted as of %(day)s.") % {
            "institution": sanction.institution.local_name,
            "day": form.cleaned_data["ended_on"].isoformat(),
        }

    verb = partial(sanctions.lift_sanction, by=request.user, sanction=sanction)
    done = submit(request, form, verb, message=lifted, to="sanction-list")
    return done or sanction_page(request, lift_forms={sanction.pk: form}, status=400)
