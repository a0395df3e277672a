"""Pages of the withdrawal report (SPEC §5.1; seed §6.H, §7.F): filing it with a preview of
the letter, reporting a recovery the ledger does not have yet, and the report's page with its
versions, the letter (HTML and PDF), the institution's amendment and the officer's review.

Every write goes through ``reporting.filings``; the views only gate, parse and redirect. The
preview is the letter itself — the same template ``reporting.letters`` renders when filed —
drawn from ``letter_contents`` now, in a sandboxed frame, so what the institution reads before
filing is what the office will receive.

A report page is one filed *version* (``WithdrawalReport``); it lists every version of its
obligation, and a review always concerns the version shown.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investments import services as ledger
from portal.access import owns, reviews
from portal.web import form_page, private, submit

from .. import filings, letters
from ..choices import OPEN_STATES, ObligationKind
from ..forms import AmendReportForm, FileReportForm, ReviewForm, UnledgeredRecoveryForm
from ..models import Obligation, ReportReview, WithdrawalReport
from .reviews import review_view


def report_url(report):
    return reverse("report-detail", args=[report.pk])


def remarks_only(data):
    return {"remarks": data["remarks"]}


def preview(obligation, remarks=""):
    """The letter as it would be filed now (an unsaved version 1)."""
    draft = WithdrawalReport(
        obligation=obligation,
        version=1,
        filed_on=timezone.localdate(),
        content=filings.letter_contents(obligation),
        remarks=remarks,
        digest="",
    )
    return letters.render_letter_html(draft, preview=True)


# --- filing -----------------------------------------------------------------------------------


@login_required
def file_report(request, pk):
    obligation = get_object_or_404(
        Obligation.objects.visible_to(request.user).select_related(
            "institution",
            "recipient_office",
            "recovery__investment__investor",
            "recovery__investment__unit",
            "recovery__investment__project",
        ),
        pk=pk,
        kind=ObligationKind.WITHDRAWAL_REPORT,
    )
    ledger.require_institution(request.user)
    if obligation.state not in OPEN_STATES:
        latest = obligation.reports.order_by("-version").first()
        messages.info(request, _("This report has already been filed; amend it instead."))
        return redirect(report_url(latest)) if latest else redirect("obligation-list")
    form = FileReportForm(request.POST or None)

    def filed(report):
        obligation.refresh_from_db()
        return _("Withdrawal report filed on %(day)s: %(state)s.") % {
            "day": report.filed_on.isoformat(),
            "state": obligation.get_state_display(),
        }

    verb = partial(filings.file_report, by=request.user, obligation=obligation)
    done = submit(request, form, verb, arguments=remarks_only, message=filed, to=report_url)
    if done:
        return done
    context = {
        "obligation": obligation,
        "recovery": obligation.recovery,
        "form": form,
        "letter": preview(obligation, form.data.get("remarks", "") if form.is_bound else ""),
    }
    return render(
        request, "reporting/report_file.html", context, status=400 if form.errors else 200
    )


def unledgered_filed(report):
    return _("The recovery is in the ledger and its withdrawal report is filed (%(state)s).") % {
        "state": report.obligation.get_state_display()
    }


@login_required
def file_unledgered(request):
    """A recovery not yet in the ledger: recorded, its obligation opened, and reported."""
    ledger.require_institution(request.user)
    form = UnledgeredRecoveryForm(request.POST or None, user=request.user)
    verb = partial(filings.file_unledgered_recovery, by=request.user)
    done = submit(request, form, verb, message=unledgered_filed, to=report_url)
    title = _("Report a recovery not yet in the ledger")
    subject = _("It enters the ledger, with its deadline, and is reported at once.")
    back = reverse("institution-dashboard")
    return done or form_page(request, form, title=title, subject=subject, cancel_url=back)


# --- the report page --------------------------------------------------------------------------


def visible_report(request, pk):
    return get_object_or_404(
        WithdrawalReport.objects.visible_to(request.user).select_related(
            "obligation__institution", "obligation__recipient_office", "filed_by"
        ),
        pk=pk,
    )


def detail_page(request, report, *, amend_form=None, review_form=None, status=200):
    user = request.user
    obligation = report.obligation
    review_rows = ReportReview.objects.select_related("reviewed_by").order_by("-reviewed_at", "-pk")
    versions = list(
        obligation.reports.select_related("filed_by")
        .prefetch_related(Prefetch("reviews", review_rows))
        .order_by("version")
    )
    latest = versions[-1]
    own = owns(user, obligation)
    reviews_it = reviews(user)
    context = {
        "report": report,
        "obligation": obligation,
        "versions": versions,
        "latest": latest,
        "is_latest": latest.pk == report.pk,
        "rows": letters.rows(report.content),
        "reviews": next(v for v in versions if v.pk == report.pk).reviews.all(),
        "amend_form": (amend_form or AmendReportForm(initial={"remarks": latest.remarks}))
        if own
        else None,
        "review_form": (review_form or ReviewForm()) if reviews_it else None,
    }
    return render(request, "reporting/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return detail_page(request, visible_report(request, pk))


def amended(report):
    return _("Amendment filed as version %(v)s.") % {"v": report.version}


@login_required
@require_POST
def report_amend(request, pk):
    report = visible_report(request, pk)
    ledger.require_institution(request.user)
    form = AmendReportForm(request.POST)
    verb = partial(filings.amend_report, by=request.user, report=report)
    done = submit(request, form, verb, message=amended, to=report_url)
    return done or detail_page(request, report, amend_form=form, status=400)


report_review = review_view(
    "report", visible_report, filings.review_report, report_url, detail_page
)


@login_required
def report_letter(request, pk):
    html = letters.render_letter_html(visible_report(request, pk))
    return private(HttpResponse(html, content_type="text/html; charset=utf-8"))


@login_required
def report_pdf(request, pk):
    report = visible_report(request, pk)
    response = HttpResponse(letters.render_letter_pdf(report), content_type="application/pdf")
    name = f"withdrawal-report-{report.obligation_id}-v{report.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return private(response)
