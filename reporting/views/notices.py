"""Pages of the monthly status notice (SPEC §5.2; seed §6.H, §7.F, §7.S).

An institution computes its notice for a month and program, reviews the figures and the
reconciliation checks, adds remarks, confirms the warnings and submits; the receipt (number,
time, digest) is shown from then on, and a change is an amendment (a new version). Officers and
HQ read the notices routed to them and download them. Every write is a verb of
``reporting.notices``; a refusal comes back on the form next to the field it names.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from investments import services as ledger
from investments.choices import ProgramCode
from portal.access import owns, reviews_for_office
from portal.models import Office, Organisation
from portal.months import month_end, previous_month
from portal.names import name_choices
from portal.web import filter_form, page_of, private, submit

from .. import amendments, letters, notices
from ..choices import ExportKind, NoticeState
from ..filters import NoticeFilter
from ..forms import ComputeNoticeForm, RemarksForm, ReviewForm, SubmitNoticeForm
from ..models import MonthlyNotice
from .exports import deliver
from .reviews import review_view

#: The figure rows of the notice, in the seed's order: (label, key in ``figures``, money?).
TOTALS = [
    (gettext_lazy("Number of investments"), "investments", False),
    (gettext_lazy("Investment amount (payments received)"), "amount_krw", True),
]


def notice_url(notice):
    return reverse("notice-detail", args=[notice.pk])


def visible_notice(request, pk):
    return get_object_or_404(
        MonthlyNotice.objects.visible_to(request.user).select_related(
            "institution", "recipient_office", "obligation", "submitted_by"
        ),
        pk=pk,
    )


# --- the list ---------------------------------------------------------------------------------


def notice_filters(filterset, user, rows):
    """The notices' filter form: the state; the institution for whoever sees several; the
    recipient office when the notices go to more than one (seed §6.H: one per office)."""
    labels = {"state": _("State")}
    choices = {}
    if not user.is_institution:
        labels["institution"] = _("Institution")
        institutions = Organisation.objects.filter(pk__in=rows.values("institution_id"))
        choices["institution"] = name_choices(institutions)
    offices = Office.objects.filter(pk__in=rows.values("recipient_office_id"))
    if len(offices) > 1:
        labels["office"] = _("Recipient office")
        choices["office"] = name_choices(offices, "code")
    return filter_form(filterset, labels=labels, choices=choices)


def list_page(request, form=None, status=200):
    user = request.user
    rows = MonthlyNotice.objects.visible_to(user).select_related(
        "institution", "recipient_office", "obligation"
    )
    filterset = NoticeFilter(request.GET, queryset=rows.order_by("-period", "program", "-version"))
    if user.is_institution:
        programs = notices.programs_of(user.organisation)
        last_month = previous_month(timezone.localdate())
        form = form or ComputeNoticeForm(
            initial={
                "period": last_month.strftime("%Y-%m"),
                "program": programs[0] if programs else None,
            },
            programs=programs,
        )
    context = {
        "form": form if user.is_institution else None,
        "filter_form": notice_filters(filterset, user, rows),
        "page": page_of(request, filterset.qs),
    }
    return render(request, "reporting/notice_list.html", context, status=status)


@login_required
def notice_list(request):
    return list_page(request)


def month_and_program(data):
    """The form's month parsed (a month no notice can be for is refused on the form)."""
    return {"program": data["program"], "period": notices.parse_month(data["period"])}


def computed(drafts):
    return " ".join(
        _("Notice for %(month)s to %(office)s computed from the ledger (version %(v)s, draft).")
        % {
            "month": notice.period.strftime("%Y-%m"),
            "office": notice.recipient_office,
            "v": notice.version,
        }
        for notice in drafts
    )


def computed_page(drafts):
    """The draft computed, or the list when there are several."""
    return notice_url(drafts[0]) if len(drafts) == 1 else reverse("notice-list")


@login_required
@require_POST
def notice_compute(request):
    """Compute (or refresh) the caller's drafts for a month and program, one per office it
    reports to (seed §6.H), then show the draft, or the list when there are several."""
    organisation = ledger.require_institution(request.user)
    form = ComputeNoticeForm(request.POST, programs=notices.programs_of(organisation))
    verb = partial(notices.compute_notices, by=request.user)
    arguments, to = month_and_program, computed_page
    done = submit(request, form, verb, arguments=arguments, message=computed, to=to)
    return done or list_page(request, form=form, status=400)


# --- one notice -------------------------------------------------------------------------------


def figure_rows(figures):
    """``(label, new, cumulative, money?)`` rows of the totals, in the seed's order."""
    return [
        (label, figures[key]["new"], figures[key]["cumulative"], money)
        for label, key, money in TOTALS
    ]


def detail_page(
    request, notice, *, remarks_form=None, submit_form=None, review_form=None, status=200
):
    user = request.user
    figures = notice.figures
    own = owns(user, notice)
    draft = notice.state == NoticeState.DRAFT
    versions = MonthlyNotice.objects.visible_to(user).filter(
        institution=notice.institution_id,
        program=notice.program,
        period=notice.period,
        recipient_office=notice.recipient_office_id,
    )
    month_over = timezone.localdate() > month_end(notice.period)
    # A draft whose month the ledger now tallies otherwise would fail at submission: say so
    # before (issue 11.6). One tally of the notice's own month and office.
    stale = draft and own and amendments.current_figures(notice) != figures
    context = {
        "notice": notice,
        "program": dict(ProgramCode.choices).get(notice.program, notice.program),
        "totals": figure_rows(figures),
        "residence": figures.get("residence", {}),
        "nationality": figures.get("nationality", {}),
        "repayments": figures.get("repayments", {}),
        "details": figures.get("repayments", {}).get("details"),
        "errors": [c for c in notices.rendered(notice.checks) if c["level"] == notices.ERROR],
        "warnings": [c for c in notices.rendered(notice.checks) if c["level"] == notices.WARNING],
        "receipt": notices.receipt(notice),
        "versions": versions.order_by("version"),
        "own": own,
        "draft": draft,
        "stale": stale,
        "month_over": month_over,
        "remarks_form": (remarks_form or RemarksForm(initial={"remarks": notice.remarks}))
        if own and draft
        else None,
        "submit_form": (submit_form or SubmitNoticeForm()) if own and draft else None,
        "can_amend": own and notice.state == NoticeState.SUBMITTED,
        # the office's reviews of a version once submitted, and an officer's decision on the
        # version in force
        "reviewed": not draft,
        "reviews": notice.reviews.select_related("reviewed_by").order_by("-reviewed_at", "-pk"),
        "review_form": (review_form or ReviewForm())
        if reviews_for_office(user, notice.recipient_office_id)
        else None,
        "reviewable": notice.state == NoticeState.SUBMITTED,
    }
    return render(request, "reporting/notice_detail.html", context, status=status)


@login_required
def notice_detail(request, pk):
    return detail_page(request, visible_notice(request, pk))


@login_required
@require_POST
def notice_remarks(request, pk):
    notice = visible_notice(request, pk)
    form = RemarksForm(request.POST)
    verb = partial(notices.set_remarks, by=request.user, notice=notice)
    done = submit(request, form, verb, message=_("Remarks saved."), to=notice_url(notice))
    return done or detail_page(request, notice, remarks_form=form, status=400)


def confirmation(data):
    return {"confirm_warnings": data["confirm_warnings"]}


def submitted(receipt):
    return _("Notice submitted. Receipt number %(number)s.") % {"number": receipt["number"]}


@login_required
@require_POST
def notice_submit(request, pk):
    notice = visible_notice(request, pk)
    form = SubmitNoticeForm(request.POST)
    verb, back = partial(notices.submit_notice, by=request.user, notice=notice), notice_url(notice)
    done = submit(request, form, verb, arguments=confirmation, message=submitted, to=back)
    return done or detail_page(request, notice, submit_form=form, status=400)


@login_required
@require_POST
def notice_amend(request, pk):
    notice = visible_notice(request, pk)
    try:
        draft = notices.amend_notice(by=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(notice_url(notice))
    messages.success(
        request,
        _("Amendment started: version %(v)s, recomputed from the ledger as a draft.")
        % {"v": draft.version},
    )
    return redirect(notice_url(draft))


notice_review = review_view(
    "notice", visible_notice, notices.review_notice, notice_url, detail_page
)


@login_required
def notice_xlsx(request, pk):
    return deliver(request, ExportKind.NOTICE, QueryDict(f"notice={pk}"))


@login_required
def notice_receipt_pdf(request, pk):
    """The printable receipt of a submitted notice (issue 11.5); a draft has none."""
    notice = visible_notice(request, pk)
    if not notice.receipt_number:
        raise Http404
    response = HttpResponse(letters.render_receipt_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{notice.receipt_number}.pdf"'
    return private(response)
