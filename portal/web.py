"""What every app's pages share: a page of a table, a form's page, the one way a page
turns a posted form into a business verb (form → verb → message → redirect), and the header
that keeps personal data out of shared caches.

Filter forms are the FilterSet's own form (``filter_form``) drawn by one include,
``templates/includes/filter_form.html``.

A view reads through the access gate and writes only through a verb; what is left is the same
few steps on every page, written here once so a refusal always lands on the form the same way.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from django_filters.widgets import DateRangeWidget

from .forms import add_verb_errors
from .models import Office, Organisation
from .names import name_choices

T = TypeVar("T")

#: Rows per page of every table, and the sizes a reader may choose (``?per_page=``); any other
#: value reads as the default, so nobody asks the database for a page of a million rows.
PAGE_SIZE = 50
PAGE_SIZES = (25, 50, 100)


def page_size(request: HttpRequest) -> int:
    size = request.GET.get("per_page", "")
    return int(size) if size.isdigit() and int(size) in PAGE_SIZES else PAGE_SIZE


def page_of(request: HttpRequest, queryset: QuerySet[Any]) -> Page:
    """The requested page of ``queryset`` in the chosen size (``includes/pagination.html``
    draws the page links and the size choice, keeping the other query parameters)."""
    size = page_size(request)
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    page.size, page.sizes = size, PAGE_SIZES
    return page


def query_without(query: QueryDict, *names: str) -> str:
    """``query`` encoded again without ``names``: the page's filters for its export link or
    its tabs, without the page number."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


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


# --- filter forms -----------------------------------------------------------------------------


class DateRange(DateRangeWidget):
    """A FilterSet's from–to date range as two date inputs, each with its own label."""

    template_name = "portal/widgets/date_range.html"

    def __init__(self, labels: tuple[str, str]) -> None:
        super().__init__()
        self.widgets = [forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for _ in labels]
        self.labels = labels

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for widget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            widget["label"] = label
        return context


def organisation_filters(
    user: Any, rows: QuerySet[Any], *, office: str, office_label: str
) -> tuple[dict[str, Any], dict[str, list[tuple[Any, str]]]]:
    """``(labels, choices)`` of a table's institution and office filters: institutions for
    whoever sees several (not an institution), offices (the rows' field ``office``) for HQ;
    each lists only those the rows the user may see name, in the page's language."""
    labels: dict[str, Any] = {}
    choices: dict[str, list[tuple[Any, str]]] = {}
    if not user.is_institution:
        labels["institution"] = _("Institution")
        institutions = Organisation.objects.filter(pk__in=rows.values("institution_id"))
        choices["institution"] = name_choices(institutions)
    if user.is_hq:
        labels[office] = office_label
        offices = Office.objects.filter(pk__in=rows.values(f"{office}_id"))
        choices[office] = name_choices(offices, "code")
    return labels, choices


def filter_form(
    filterset: FilterSet,
    *,
    labels: Mapping[str, Any],
    choices: Mapping[str, Iterable[tuple[Any, str]]] | None = None,
    ranges: Mapping[str, tuple[str, str]] | None = None,
    carry: Iterable[str] = (),
) -> forms.Form:
    """The FilterSet's own form dressed for a page (``templates/includes/filter_form.html``).

    Only labels and widgets change, never a field, so the page filters exactly as the API and
    the export do: a field named in ``labels`` is shown — as a drop-down of its own choices or
    of ``choices[name]`` (reference rows, by code or id), or as two dates for ``ranges[name]``
    (labels of the two ends). Fields named in ``carry`` travel hidden when the URL gave them
    (the investor a table was opened for), as does the ``ordering`` a sortable column header
    chose; the rest are not drawn."""
    choices, ranges = choices or {}, ranges or {}
    form = filterset.form
    form.full_clean()  # with the FilterSet's own widgets, before they are dressed below
    form.auto_id = "f-%s"
    # the sort order chosen by a column header travels with the filters
    form.carried = {*carry, "ordering"}
    # The page's order is the labels'; the form was already bound and validated by
    # ``filterset.qs``, so the label is set on its bound field as well.
    form.fields = {name: form.fields[name] for name in [*labels, *form.fields]}
    for name, field in form.fields.items():
        if name not in labels:
            field.widget = forms.HiddenInput()
            continue
        field.label = form[name].label = labels[name]
        if name in ranges:
            field.widget = DateRange(ranges[name])
        elif name in choices or hasattr(field, "choices"):
            options = choices.get(name, getattr(field, "choices", ()))
            field.widget = forms.Select(
                choices=[("", _("All")), *((v, label) for v, label in options if v != "")]
            )
    return form
