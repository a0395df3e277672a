"""Page helpers every app's pages share: a page of a table, a form's page, the one way a page
turns a posted form into a business verb (form → verb → message → redirect), and the header
that keeps personal data out of shared caches.

A view reads through the access gate and writes only through a verb; what is left is the same
few steps on every page, written here once so a refusal always lands on the form the same way.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from .forms import add_verb_errors

T = TypeVar("T")

#: Rows per page of every table.
PAGE_SIZE = 50


def page_of(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def submit(
    request: HttpRequest,
    form: forms.Form,
    verb: Callable[..., T],
    *,
    message: str | Callable[[T], str],
    to: str | Callable[[T], str],
    arguments: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None,
    **fixed: Any,
) -> HttpResponse | None:
    """Form → verb → message → redirect.

    When the request posts a valid form, call ``verb(**fixed, **arguments(cleaned_data))``
    (``arguments`` picks or reshapes the cleaned data; all of it by default). If the verb
    accepts, flash ``message`` and redirect to ``to`` (a URL or URL name; either may be a
    function of what the verb returned). Otherwise return None and the caller shows the form
    again: not posted, invalid, or refused — the refusal (from ``arguments`` or the verb) is
    on the form under the field it names.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        data = arguments(form.cleaned_data) if arguments else form.cleaned_data
        result = verb(**fixed, **data)
    except ValidationError as error:
        add_verb_errors(form, error)
        return None
    messages.success(request, message(result) if callable(message) else message)
    return redirect(to(result) if callable(to) else to)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    cancel_url: str,
    subject: object = None,
    template: str = "investments/form.html",
    confirm: str = "",
) -> HttpResponse:
    """A form's page (400 when it came back with errors); ``confirm`` asks before sending
    (an irreversible correction)."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "subject": subject,
        "confirm": confirm,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


def private(response: HttpResponse) -> HttpResponse:
    """Letters and workbooks carry personal data: no shared caches."""
    patch_cache_control(response, private=True, no_store=True)
    return response
