"""The search box in every page's header (issue 11, item 5); what it finds is
``reporting.search``. The text is posted, never put in the URL: it may be a passport number."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import search as finder


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    text = request.POST.get("q", "") if request.method == "POST" else ""
    found = finder.find(request.user, text)
    return render(
        request,
        "reporting/search.html",
        {"found": found, "too_short": 0 < len(found.text) < finder.MIN_LENGTH},
    )
