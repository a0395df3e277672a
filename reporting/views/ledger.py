"""Pages of the ledger: investor and investment tables (with the API's filters and an .xlsx
export of exactly the filtered rows), the investor page (one timeline, the eligibility
explanation, the F-5 clock drawn, a what-if) and the forms that record the ledger.

Pages are the top layer: they read through the access gate (``visible_to``; another
organisation's object is a 404) and write only through the business verbs
(``investments.services``, and ``reporting.services.record_recovery`` so that a recovery opens
its withdrawal-report obligation). Institutions keep the ledger; officers and HQ read it and
record residence-status grants.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investments import privacy, services
from investments.choices import InvestorClass, ProgramCode, Relation, StatusRole
from investments.filters import InvestmentFilter, InvestorFilter
from investments.forms import (
    GrantForm,
    InvestmentForm,
    InvestorForm,
    LapseForm,
    PaymentForm,
    RecoveryForm,
    RevealForm,
    WhatIfForm,
    localized_name,
)
from investments.models import (
    Investment,
    Investor,
    Lapse,
    Payment,
    Project,
    Recovery,
    StatusCode,
    StatusGrant,
    Zone,
)
from investments.selectors import investment_table
from portal.access import may_reveal, owns, reviews
from portal.audit import client_address
from portal.forms import add_verb_errors
from portal.models import Office, Organisation

from .. import eligibility
from .. import services as reporting
from ..choices import ExportKind
from .exports import deliver

PAGE_SIZE = 50
INVESTOR_FILTER_LABELS = {
    "full_name": gettext_lazy("Name contains"),
    "nationality": gettext_lazy("Nationality (e.g. CN)"),
    "kind": gettext_lazy("Kind"),
}


# --- shared helpers ---------------------------------------------------------------------------


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def perform(form, verb, **arguments):
    """Call a business verb; its refusal goes onto the form and nothing is saved."""
    try:
        return verb(**arguments)
    except ValidationError as error:
        add_verb_errors(form, error)
        return None


def form_page(
    request, form, *, title, cancel_url, subject=None, template="investments/form.html", confirm=""
):
    """A ledger form's page; ``confirm`` asks before sending (an irreversible correction)."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "subject": subject,
        "confirm": confirm,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def investor_url(investor_id):
    return reverse("investor-detail", args=[investor_id])


# --- tables -----------------------------------------------------------------------------------


@login_required
def investor_list(request):
    user = request.user
    counted = (
        Investment.objects.visible_to(user)
        .filter(investor=OuterRef("pk"))
        .order_by()
        .values("investor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Investor.objects.visible_to(user)
        .select_related("institution")
        .annotate(investment_count=Coalesce(Subquery(counted), Value(0)))
    )
    # A passport number is looked up by POST only: in a query string it would reach access
    # logs and browser histories. The table filters travel in the URL without it.
    data = request.GET.copy()
    data.pop("passport_number", None)
    passport = request.POST.get("passport_number", "").strip()
    if request.method == "POST" and passport:
        data["passport_number"] = passport
    filterset = InvestorFilter(data, queryset=queryset)
    for name, label in INVESTOR_FILTER_LABELS.items():
        filterset.form.fields[name].label = label
    return render(
        request,
        "investments/investor_list.html",
        {
            "filterset": filterset,
            "page": page_of(request, filterset.qs),
            "passport_searched": bool(data.get("passport_number")),
        },
    )


def investment_filter_choices(user):
    """The select boxes of the investment filters, from reference data."""
    visible = Investment.objects.visible_to(user)
    return {
        "programs": ProgramCode.choices,
        "classes": InvestorClass.choices,
        "zones": Zone.objects.order_by("name"),
        "projects": Project.objects.order_by("name"),
        "institutions": (
            Organisation.objects.filter(pk__in=visible.values("institution_id")).order_by("name")
            if not user.is_institution
            else []
        ),
        "offices": (
            Office.objects.filter(pk__in=visible.values("office_id")).order_by("name")
            if user.is_hq
            else []
        ),
    }


@login_required
def investment_list(request):
    filterset = InvestmentFilter(request.GET, queryset=investment_table(request.user))
    rows = filterset.qs
    totals = rows.aggregate(
        contract=Sum("contract_amount_krw"), paid=Sum("paid_krw"), recovered=Sum("recovered_krw")
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "investments/investment_list.html",
        {
            "filterset": filterset,
            "page": page_of(request, rows),
            "totals": totals,
            "export_query": export_query.urlencode(),
            **investment_filter_choices(request.user),
        },
    )


@login_required
def investment_export(request):
    """Exactly the rows the same filters show on the page, as .xlsx."""
    return deliver(request, ExportKind.INVESTMENTS, request.GET)


# --- the investor page ------------------------------------------------------------------------


class Event(NamedTuple):
    """One line of the investor's timeline; the template words it by ``kind``."""

    on: date
    kind: str  # grant, payment, lapse, lapse_end, recovery
    row: object  # the StatusGrant, Payment, Lapse or Recovery
    investment: Investment | None = None


ORDER = {"grant": 0, "payment": 1, "lapse": 2, "lapse_end": 3, "recovery": 4}


def timeline(investments, grants):
    """Payments, recoveries, grants and lapse starts and ends in one chronological list."""
    events = [Event(grant.granted_on, "grant", grant) for grant in grants]
    for inv in investments:
        events += [Event(p.paid_on, "payment", p, inv) for p in inv.payments.all()]
        events += [Event(r.recovered_on, "recovery", r, inv) for r in inv.recoveries.all()]
        for lapse in inv.lapses.all():
            events.append(Event(lapse.started_on, "lapse", lapse, inv))
            if lapse.ended_on:
                events.append(Event(lapse.ended_on, "lapse_end", lapse, inv))
    return sorted(events, key=lambda event: (event.on, ORDER[event.kind]))


# The F-5 clock is drawn on a fixed 800 × 110 canvas; the SVG scales to the page width.
CLOCK_WIDTH, CLOCK_LEFT, CLOCK_RIGHT = 800, 16, 784


def clock_drawing(f5, *, as_of, first_grant=None):
    """Geometry of the F-5 clock: counted intervals as bars, pauses as gaps, today and the
    eligible day as markers, years as ticks. Pure: dates in, numbers out."""
    intervals = [(i["start"], i["end"] or as_of) for i in f5["intervals"]]
    start = intervals[0][0] if intervals else first_grant or as_of
    eligible_on = f5["eligible_on"]
    end = max(eligible_on or as_of + timedelta(days=365), as_of)
    if end <= start:
        end = start + timedelta(days=365)
    span = (end - start).days

    def x(day):
        ratio = min(max((day - start).days / span, 0), 1)
        return round(CLOCK_LEFT + ratio * (CLOCK_RIGHT - CLOCK_LEFT), 1)

    def bar(first, last):
        return {
            "x": x(first),
            "width": max(x(last + timedelta(days=1)) - x(first), 1),
            "start": first,
            "end": last,
            "days": (last - first).days + 1,
        }

    bars = [bar(first, last) for first, last in intervals]
    gaps = [
        bar(prev_end + timedelta(days=1), next_start - timedelta(days=1))
        for (_s, prev_end), (next_start, _e) in zip(intervals, intervals[1:], strict=False)
        if next_start > prev_end + timedelta(days=1)
    ]
    projected = None
    if f5["on_track"] and eligible_on and eligible_on > as_of and intervals:
        projected = bar(
            max(intervals[-1][1], as_of) + timedelta(days=1), eligible_on - timedelta(days=1)
        )
    ticks = [
        {"x": x(date(year, 1, 1)), "label": year}
        for year in range(start.year + 1, end.year + 1)
        if CLOCK_LEFT + 30 < x(date(year, 1, 1)) < CLOCK_RIGHT - 30
    ]

    def anchor(at):
        if at < CLOCK_LEFT + 90:
            return "start"
        return "end" if at > CLOCK_RIGHT - 90 else "middle"

    today_x = x(as_of)
    eligible_x = x(eligible_on) if eligible_on else None
    return {
        "start": start,
        "end": end,
        "bars": bars,
        "gaps": gaps,
        "projected": projected,
        "ticks": ticks,
        "today_x": today_x,
        "today_anchor": anchor(today_x),
        "eligible_x": eligible_x,
        "eligible_anchor": anchor(eligible_x) if eligible_x is not None else "middle",
        "left": CLOCK_LEFT,
        "right": CLOCK_RIGHT,
        "width": CLOCK_WIDTH,
    }


def person_investments(user, investor):
    """The person's investments this user may see, with everything the page shows."""
    return list(
        investment_table(user)
        .filter(investor__person_id=investor.person_id)
        .prefetch_related(
            Prefetch("payments", Payment.objects.order_by("paid_on", "pk")),
            Prefetch(
                "recoveries",
                Recovery.objects.select_related("obligation__recipient_office").order_by(
                    "recovered_on", "pk"
                ),
            ),
            Prefetch("lapses", Lapse.objects.order_by("started_on", "pk")),
        )
        .order_by("contract_date", "pk")
    )


def what_if(request, investor, investments, today):
    """The what-if form and, when it holds, the answer after the hypothetical recovery."""
    bound = "recover_krw" in request.GET
    form = WhatIfForm(request.GET if bound else None, investments=investments)
    if not (bound and form.is_valid()):
        return form, None
    try:
        hypothesis = eligibility.what_if_for(investor, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_verb_errors(form, error)
        return form, None
    after = eligibility.evaluate(investor, user=request.user, as_of=today, what_if=hypothesis)
    report = after["what_if"]["report"]
    office = Office.objects.filter(code=report["recipient_office"]).first()
    report["office_name"] = localized_name(office) if office else report["recipient_office"]
    return form, after


@login_required
def investor_detail(request, pk):
    user = request.user
    investor = get_object_or_404(
        Investor.objects.visible_to(user).select_related("institution"), pk=pk
    )
    today = timezone.localdate()
    investments = person_investments(user, investor)
    grants = list(
        StatusGrant.objects.visible_to(user)
        .filter(person_id=investor.person_id)
        .select_related("code")
        .order_by("granted_on", "pk")
    )
    privacy.log_read(by=user, investor=investor, address=client_address(request))
    answer = eligibility.evaluate(investor, user=user, as_of=today)
    whatif_form, after = what_if(request, investor, investments, today)
    can_grant = reviews(user)
    context = {
        "investor": investor,
        "investments": investments,
        "events": timeline(investments, grants),
        "answer": answer,
        "not_on_track": next(
            (r["text"] for r in reversed(answer["reasons"]) if r["rule"] == "R4"), ""
        ),
        "clock": clock_drawing(
            answer["f5"], as_of=today, first_grant=grants[0].granted_on if grants else None
        ),
        "today": today,
        "whatif_form": whatif_form,
        "after": after,
        "keeps_ledger": owns(user, investor),
        "grant_form": GrantForm() if can_grant else None,
        "show_institution": not user.is_institution,
        "family": family_rows(investor, investments),
        "reveal_form": RevealForm() if may_reveal(user) else None,
    }
    return render(request, "investments/investor_detail.html", context)


@login_required
def investor_reveal(request, pk):
    """One clear identification number for an officer or HQ who states why (SPEC §7): the
    value is shown on this answer only (not stored in the session, not cached) and the reveal
    is logged (``investments.privacy``)."""
    investor = get_object_or_404(Investor.objects.visible_to(request.user), pk=pk)
    if not may_reveal(request.user):
        raise PermissionDenied(
            _("Only an immigration officer or HQ may reveal an identification number.")
        )
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = perform(
            form,
            privacy.reveal_number,
            by=request.user,
            investor=investor,
            address=client_address(request),
            **form.cleaned_data,
        )
        if value is not None:
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


#: Relations that follow the investor as family (seed §6 heading, §7.S(3)); executives and
#: shareholders of a corporate investor are recorded but get no family status.
FAMILY_RELATIONS = (Relation.SPOUSE, Relation.CHILD)


def family_rows(investor, investments):
    """The investor's recorded relatives, each with the family statuses its relation opens
    under the programs the investor has invested in: the ``StatusCode`` rows whose role is
    family (F-2-81 tourism, F-2-13 public interest), read from the reference data."""
    programs = {investment.program for investment in investments}
    codes = [
        code.code
        for code in StatusCode.objects.filter(
            role=StatusRole.FAMILY, legacy=False, program__code__in=programs
        ).order_by("code")
    ]
    return [
        (person, codes if person.relation in FAMILY_RELATIONS else [])
        for person in investor.related_persons.order_by("relation", "date_of_birth", "pk")
    ]


# --- forms ------------------------------------------------------------------------------------


@login_required
def investor_create(request):
    services.require_institution(request.user)
    form = InvestorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        investor = perform(form, services.register_investor, by=request.user, **form.cleaned_data)
        if investor:
            messages.success(request, _("Investor %(name)s registered.") % {"name": investor})
            return redirect(investor_url(investor.pk))
    return form_page(
        request, form, title=_("Register an investor"), cancel_url=reverse("investor-list")
    )


@login_required
def investment_create(request):
    user = request.user
    services.require_institution(user)
    initial = {"investor": request.GET.get("investor")} if request.GET.get("investor") else {}
    form = InvestmentForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        investment = perform(form, services.record_investment, by=user, **form.cleaned_data)
        if investment:
            messages.success(request, _("Investment #%(id)s recorded.") % {"id": investment.pk})
            return redirect(investor_url(investment.investor_id))
    cancel = investor_url(initial["investor"]) if initial else reverse("investment-list")
    return form_page(
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
    if request.method == "POST" and form.is_valid():
        row = perform(form, verb, by=request.user, investment=investment, **form.cleaned_data)
        if row:
            messages.success(request, success(row))
            return redirect(back)
    return form_page(request, form, title=title, subject=investment, cancel_url=back)


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


def recovery_recorded(recovery):
    obligation = recovery.obligation
    return _("Recovery recorded. Withdrawal report due %(due)s to %(office)s.") % {
        "due": obligation.due_on.isoformat(),
        "office": localized_name(obligation.recipient_office),
    }


@login_required
def recovery_create(request, pk):
    """Through ``reporting.services`` so the withdrawal-report obligation opens with it."""
    return record_on_investment(
        request,
        pk,
        form_class=RecoveryForm,
        verb=reporting.record_recovery,
        title=_("Record a recovery (withdrawal)"),
        success=recovery_recorded,
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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, code=form.cleaned_data["code"].code)
        grant = perform(form, services.grant_status, by=request.user, investor=investor, **data)
        if grant:
            messages.success(
                request,
                _("Residence status %(code)s recorded from %(day)s.")
                % {"code": grant.code_id, "day": grant.granted_on.isoformat()},
            )
            return redirect(investor_url(investor.pk))
    return form_page(
        request,
        form,
        title=_("Record a residence-status grant"),
        subject=investor,
        cancel_url=investor_url(investor.pk),
    )
