"""Revealing one clear identification number (SPEC §7, issue 9.2): an officer or HQ states a
purpose; the value is shown on this answer only (not stored in the session, not cached) and
the reveal is logged by ``investments.privacy``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from portal.access import may_reveal
from portal.audit import client_address
from portal.forms import add_verb_errors
from portal.web import form_page

from .. import privacy
from ..forms import RevealForm
from ..models import Investor
from .entries import investor_url


@login_required
def investor_reveal(request, pk):
    investor = get_object_or_404(Investor.objects.visible_to(request.user), pk=pk)
    if not may_reveal(request.user):
        raise PermissionDenied(
            _("Only an immigration officer or HQ may reveal an identification number.")
        )
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            value = privacy.reveal_number(
                by=request.user,
                investor=investor,
                address=client_address(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_verb_errors(form, error)
        else:
            label = dict(form.fields["number"].choices)[form.cleaned_data["number"]]
            response = render(
                request,
                "investments/investor_revealed.html",
                {"investor": investor, "label": label, "value": value},
            )
            response["Cache-Control"] = "no-store"
            return response
    return form_page(
        request,
        form,
        title=_("Reveal an identification number"),
        subject=investor,
        cancel_url=investor_url(investor.pk),
    )
