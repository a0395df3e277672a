"""The user's own notification list (issue 11.2): newest first, unread ones marked, each
message read in the reader's language (``reporting.inbox``); mark one or all as read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.web import page_of

from .. import inbox
from ..models import InboxItem


@login_required
def inbox_page(request):
    rows = InboxItem.objects.visible_to(request.user)
    if request.GET.get("show") == "unread":
        rows = rows.unread()
    page = page_of(request, rows)
    for item in page:
        item.text = inbox.text(item)
    context = {"page": page, "show": request.GET.get("show", "")}
    return render(request, "reporting/inbox.html", context)


@login_required
@require_POST
def inbox_read(request, pk):
    """Mark one message read, then follow its link (``open``) or come back to the list."""
    item = get_object_or_404(InboxItem.objects.visible_to(request.user), pk=pk)
    inbox.mark_read(by=request.user, item=item)
    safe = url_has_allowed_host_and_scheme(item.link, allowed_hosts=None)
    if request.POST.get("open") and item.link and safe:
        return redirect(item.link)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    done = inbox.mark_all_read(by=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": done})
    return redirect("inbox")
