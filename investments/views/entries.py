"""The forms that record the ledger: an investor, an investment, and on one investment a
payment or a lapse; an officer's residence-status grant. Institutions keep the ledger
(``services.require_institution``); each form goes through ``portal.web.submit`` to its verb
in ``investments.services`` and back to the investor page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.web import form_page, submit

from .. import services
from ..forms import GrantForm, InvestmentForm, InvestorForm, LapseForm, PaymentForm
from ..models import Investment, Investor


def investor_url(investor_id):
    return reverse("investor-detail", args=[investor_id])


@login_required
def investor_create(request):
    services.require_institution(request.user)
    form = InvestorForm(request.POST or None)
    return submit(
        request,
        form,
        services.register_investor,
        by=request.user,
        message=lambda investor: _("Investor %(name)s registered.") % {"name": investor},
        to=lambda investor: investor_url(investor.pk),
    ) or form_page(
        request, form, title=_("Register an investor"), cancel_url=reverse("investor-list")
    )


@login_required
def investment_create(request):
    user = request.user
    services.require_institution(user)
    initial = {"investor": request.GET.get("investor")} if request.GET.get("investor") else {}
    form = InvestmentForm(request.POST or None, user=user, initial=initial)
    cancel = investor_url(initial["investor"]) if initial else reverse("investment-list")
    return submit(
        request,
        form,
        services.record_investment,
        by=user,
        message=lambda investment: _("Investment #%(id)s recorded.") % {"id": investment.pk},
        to=lambda investment: investor_url(investment.investor_id),
    ) or form_page(
        request,
        form,
        title=_("Record an investment"),
        cancel_url=cancel,
        template="investments/investment_form.html",
    )


def record_on_investment(request, pk, *, form_class, verb, title, success):
    """A ledger form on one investment: 404 if the user cannot see it, 403 unless the user's
    organisation keeps a ledger; on success back to the investor page with a message."""
    investment = get_object_or_404(
        Investment.objects.visible_to(request.user).select_related(
            "investor", "unit", "zone", "project"
        ),
        pk=pk,
    )
    services.require_institution(request.user)
    form = form_class(request.POST or None, investment=investment)
    back = investor_url(investment.investor_id)
    return submit(
        request,
        form,
        verb,
        by=request.user,
        investment=investment,
        message=success,
        to=back,
    ) or form_page(request, form, title=title, subject=investment, cancel_url=back)


@login_required
def payment_create(request, pk):
    return record_on_investment(
        request,
        pk,
        form_class=PaymentForm,
        verb=services.record_payment,
        title=_("Record a payment"),
        success=lambda payment: (
            _("Payment of %(amount)s KRW on %(day)s recorded.")
            % {"amount": f"{payment.amount_krw:,}", "day": payment.paid_on.isoformat()}
        ),
    )


@login_required
def lapse_create(request, pk):
    return record_on_investment(
        request,
        pk,
        form_class=LapseForm,
        verb=services.record_lapse,
        title=_("Record a lapse"),
        success=lambda lapse: _("Lapse recorded: %(lapse)s.") % {"lapse": lapse},
    )


@login_required
def grant_create(request, pk):
    investor = get_object_or_404(Investor.objects.visible_to(request.user), pk=pk)
    services.require_officer(request.user)
    form = GrantForm(request.POST or None)
    back = investor_url(investor.pk)
    return submit(
        request,
        form,
        services.grant_status,
        by=request.user,
        investor=investor,
        arguments=lambda data: dict(data, code=data["code"].code),
        message=lambda grant: (
            _("Residence status %(code)s recorded from %(day)s.")
            % {"code": grant.code_id, "day": grant.granted_on.isoformat()}
        ),
        to=back,
    ) or form_page(
        request,
        form,
        title=_("Record a residence-status grant"),
        subject=investor,
        cancel_url=back,
    )
