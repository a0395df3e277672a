"""The forms that record the ledger: an investor, an investment, and on one investment a
payment or a lapse; an officer's residence-status grant. Institutions keep the ledger
(``services.require_institution``); each form goes through ``portal.web.submit`` to its verb
in ``investments.services`` and back to the investor page."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.money import format_krw
from portal.web import form_page, submit

from .. import services
from ..forms import GrantForm, InvestmentForm, InvestorForm, LapseForm, PaymentForm
from ..models import Investment, Investor


def investor_url(investor_id):
    return reverse("investor-detail", args=[investor_id])


def investor_page(investor):
    return investor_url(investor.pk)


def registered(investor):
    return _("Investor %(name)s registered.") % {"name": investor}


@login_required
def investor_create(request):
    services.require_institution(request.user)
    form = InvestorForm(request.POST or None)
    verb, title = services.register_investor, _("Register an investor")
    done = submit(request, form, verb, by=request.user, message=registered, to=investor_page)
    return done or form_page(request, form, title=title, cancel_url=reverse("investor-list"))


def investment_recorded(investment):
    return _("Investment #%(id)s recorded.") % {"id": investment.pk}


def owner_page(row):
    """The page of the investor a ledger row belongs to."""
    return investor_url(row.investor_id)


@login_required
def investment_create(request):
    user = request.user
    services.require_institution(user)
    initial = {"investor": request.GET.get("investor")} if request.GET.get("investor") else {}
    form = InvestmentForm(request.POST or None, user=user, initial=initial)
    cancel = investor_url(initial["investor"]) if initial else reverse("investment-list")
    verb, title = services.record_investment, _("Record an investment")
    done = submit(request, form, verb, by=user, message=investment_recorded, to=owner_page)
    template = "investments/investment_form.html"
    return done or form_page(request, form, title=title, cancel_url=cancel, template=template)


def record_on_investment(request, pk, form_class, verb, title, success):
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
    done = submit(
        request, form, verb, by=request.user, investment=investment, message=success, to=back
    )
    return done or form_page(request, form, title=title, subject=investment, cancel_url=back)


def on_investment(form_class, verb, title, success):
    """The page of one ledger form on an investment (``record_on_investment``)."""

    @login_required
    def page(request, pk):
        return record_on_investment(request, pk, form_class, verb, title, success)

    return page


def payment_recorded(payment):
    return _("Payment of %(amount)s on %(day)s recorded.") % {
        "amount": format_krw(payment.amount_krw),
        "day": payment.paid_on.isoformat(),
    }


def lapse_recorded(lapse):
    return _("Lapse recorded: %(lapse)s.") % {"lapse": lapse}


payment_create = on_investment(
    PaymentForm, services.record_payment, gettext_lazy("Record a payment"), payment_recorded
)
lapse_create = on_investment(
    LapseForm, services.record_lapse, gettext_lazy("Record a lapse"), lapse_recorded
)


def granted(grant):
    return _("Residence status %(code)s recorded from %(day)s.") % {
        "code": grant.code_id,
        "day": grant.granted_on.isoformat(),
    }


def by_code(data):
    """The grant form chooses a status code row; the verb takes its code."""
    return dict(data, code=data["code"].code)


@login_required
def grant_create(request, pk):
    investor = get_object_or_404(Investor.objects.visible_to(request.user), pk=pk)
    services.require_officer(request.user)
    form = GrantForm(request.POST or None)
    back, title = investor_url(investor.pk), _("Record a residence-status grant")
    verb = partial(services.grant_status, by=request.user, investor=investor)
    done = submit(request, form, verb, arguments=by_code, message=granted, to=back)
    return done or form_page(request, form, title=title, subject=investor, cancel_url=back)
