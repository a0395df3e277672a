"""The investor page and the recovery form: ledger pages that show or write what reporting
derives from the ledger, so they live here and not in ``investments.views`` (the ledger app
imports nothing of reporting).

The investor page shows one timeline, the rules' answer with its explanation
(``reporting.eligibility``), the F-5 clock drawn and a what-if. A recovery is recorded through
``reporting.services.record_recovery`` so that its withdrawal-report obligation opens with it.
The tables and the other ledger forms are in ``investments.views``.
"""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investments import privacy
from investments.forms import GrantForm, RecoveryForm, RevealForm, WhatIfForm, localized_name
from investments.models import Investor, Lapse, Payment, Recovery, StatusGrant
from investments.selectors import family_rows, investment_table, timeline
from investments.views.entries import on_investment
from portal.access import may_reveal, owns, reviews
from portal.audit import client_address
from portal.forms import add_verb_errors
from portal.models import Office

from .. import eligibility
from .. import services as reporting

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
        "family": family_rows(investor, investments, as_of=today),
        "reveal_form": RevealForm() if may_reveal(user) else None,
    }
    return render(request, "investments/investor_detail.html", context)


def recovery_recorded(recovery):
    obligation = recovery.obligation
    return _("Recovery recorded. Withdrawal report due %(due)s to %(office)s.") % {
        "due": obligation.due_on.isoformat(),
        "office": localized_name(obligation.recipient_office),
    }


#: Through ``reporting.services`` so the withdrawal-report obligation opens with it.
recovery_create = on_investment(
    RecoveryForm,
    reporting.record_recovery,
    gettext_lazy("Record a recovery (withdrawal)"),
    recovery_recorded,
)
