"""Entry pages: the role's home, HQ's overview across offices, and the institution
administrator's API keys."""

from base64 import b32encode
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from investments.models import Investment, Recovery
from reporting.choices import ObligationKind, ObligationState
from reporting.models import Obligation

from .api_keys import issue_api_key, may_manage_keys, revoke_api_key
from .forms import IssueKeyForm, add_verb_errors
from .models import ApiKey, Office, WebhookEndpoint


@login_required
def home(request):
    """Each role lands on its own dashboard."""
    user = request.user
    if user.is_institution:
        return redirect("institution-dashboard")
    if user.is_officer:
        return redirect("office-dashboard")
    if user.is_hq:
        return redirect("hq-overview")
    raise PermissionDenied


@login_required
def hq_overview(request):
    """Every office at a glance: what is routed to it, what is late, who withdrew."""
    if not request.user.is_hq:
        raise PermissionDenied
    today = timezone.localdate()
    month_start = today.replace(day=1)
    investments = dict(Investment.objects.values_list("office").annotate(n=Count("pk")).order_by())
    last_month = (month_start - timedelta(days=1)).replace(day=1)
    notice_of_last_month = Q(kind=ObligationKind.MONTHLY_NOTICE, period=last_month)
    obligations = {
        row["recipient_office"]: row
        for row in Obligation.objects.values("recipient_office")
        .annotate(
            overdue=Count("pk", filter=Q(state=ObligationState.OVERDUE)),
            due=Count("pk", filter=Q(state=ObligationState.DUE)),
            late=Count("pk", filter=Q(state=ObligationState.FILED_LATE)),
            # seed §6.H: each office is owed its own notice of the facilities it covers
            notices_owed=Count("pk", filter=notice_of_last_month),
            notices_filed=Count("pk", filter=notice_of_last_month & Q(filed_on__isnull=False)),
        )
        .order_by()
    }
    recoveries = {
        row["investment__office"]: row
        for row in Recovery.objects.filter(recovered_on__gte=month_start)
        .values("investment__office")
        .annotate(n=Count("pk"), amount=Sum("amount_krw"))
        .order_by()
    }
    rows = []
    for office in Office.objects.filter(
        Q(pk__in=investments.keys()) | Q(pk__in=obligations.keys())
    ).select_related("parent"):
        counts = obligations.get(office.pk, {})
        recovered = recoveries.get(office.pk, {})
        rows.append(
            {
                "office": office,
                "investments": investments.get(office.pk, 0),
                "overdue": counts.get("overdue", 0),
                "due": counts.get("due", 0),
                "late": counts.get("late", 0),
                "notices_owed": counts.get("notices_owed", 0),
                "notices_filed": counts.get("notices_filed", 0),
                "recoveries": recovered.get("n", 0),
                "recovered_krw": recovered.get("amount") or 0,
            }
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["investments"]))
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("investments", "overdue", "due", "late", "recoveries", "recovered_krw")
    }
    return render(
        request,
        "portal/hq_overview.html",
        {"rows": rows, "totals": totals, "month_start": month_start, "last_month": last_month},
    )


# --- integrations: the organisation's API keys (issue 13.2) ----------------------------------


def integrations_page(request, *, form=None, secret=None, status=200):
    keys = ApiKey.objects.filter(organisation_id=request.user.organisation_id).select_related(
        "created_by", "revoked_by"
    )
    webhooks = WebhookEndpoint.objects.filter(
        owner__organisation_id=request.user.organisation_id
    ).select_related("owner")
    context = {
        "keys": keys,
        "webhooks": webhooks,
        "form": form or IssueKeyForm(),
        "secret": secret,
        "now": timezone.now(),
    }
    return render(request, "portal/integrations.html", context, status=status)


def key_manager(request):
    if not may_manage_keys(request.user):
        raise PermissionDenied
    return request.user


@login_required
def integrations(request):
    """An institution administrator issues and revokes the API keys of its systems."""
    user = key_manager(request)
    if request.method != "POST":
        return integrations_page(request)
    form = IssueKeyForm(request.POST)
    if form.is_valid():
        try:
            key, secret = issue_api_key(by=user, **form.cleaned_data)
        except ValidationError as error:
            add_verb_errors(form, error)
        else:
            messages.success(
                request,
                _("Key “%(label)s” issued. Copy it now: it will not be shown again.")
                % {"label": key.label},
            )
            return integrations_page(request, secret=secret)
    return integrations_page(request, form=form, status=400)


@login_required
@require_POST
def revoke_key(request, pk):
    user = key_manager(request)
    key = get_object_or_404(ApiKey, pk=pk, organisation_id=user.organisation_id)
    revoke_api_key(by=user, key=key)
    messages.success(request, _("Key “%(label)s” revoked.") % {"label": key.label})
    return redirect("integrations")


# --- the second factor (portal.second_factor) -------------------------------------------------


def after_second_factor(request):
    """Where the ``next`` parameter points, if it is this site's; else the user's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


def code_of(request):
    return "".join(request.POST.get("code", "").split())


@login_required
def second_factor_setup(request):
    """Set up an authenticator app: its secret is shown (and as an ``otpauth://`` link), and
    the first code it gives confirms it. Once a device is confirmed, the code is asked on the
    verification page instead: whoever knows only the password cannot add a device."""
    user = request.user
    if user_has_device(user):
        return redirect("second-factor-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    error = None
    if request.method == "POST":
        if device.verify_token(code_of(request)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return after_second_factor(request)
        error = _("That code is not right. Enter the 6 digits your app shows now.")
    context = {
        "secret": b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "error": error,
        "next": request.GET.get("next", ""),
    }
    return render(
        request, "registration/second_factor_setup.html", context, status=400 if error else 200
    )


@login_required
def second_factor_verify(request):
    """The code of the user's authenticator app, after the password."""
    user = request.user
    if not user_has_device(user):
        return redirect("second-factor-setup")
    error = None
    if request.method == "POST":
        device = match_token(user, code_of(request))
        if device is not None:
            otp_login(request, device)
            return after_second_factor(request)
        error = _("That code is not right. Enter the 6 digits your app shows now.")
    context = {"error": error, "next": request.GET.get("next", "")}
    return render(
        request, "registration/second_factor_verify.html", context, status=400 if error else 200
    )
