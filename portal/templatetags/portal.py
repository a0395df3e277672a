"""Formatting used across pages: money in KRW (and 억 in Korean), due-date countdowns, states."""

from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.money import format_eok, format_krw
from portal.names import country_name

register = template.Library()


register.filter("krw", format_krw)
register.filter("eok", format_eok)


@register.filter
def days_until(day, today=None):
    if not isinstance(day, date):
        return None
    return (day - (today or timezone.localdate())).days


@register.filter
def countdown(day):
    """'due in 3 days', 'due today', '2 days overdue'."""
    days = days_until(day)
    if days is None:
        return ""
    if days == 0:
        return _("due today")
    if days > 0:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day overdue", "%(n)d days overdue", -days) % {"n": -days}


@register.filter
def urgency(day):
    """A CSS class for a due date: overdue, soon (within a week) or later."""
    days = days_until(day)
    if days is None:
        return ""
    return "overdue" if days < 0 else "soon" if days <= 7 else "later"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, key, label, css="", rowspan=""):
    """A column header that sorts the table by the FilterSet's ``OrderingFilter`` key ``key``:
    ascending first, descending on a second click; the other query parameters are kept and
    the page goes back to the first. ``rowspan``: the rows of a two-row head it spans."""
    params = context["request"].GET.copy()
    current = params.get("ordering", "")
    state = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
    params["ordering"] = f"-{key}" if state == "ascending" else key
    params.pop("page", None)
    return {
        "label": label,
        "href": f"?{params.urlencode()}",
        "state": state,
        "css": css,
        "rowspan": rowspan,
    }


@register.filter
def country(code):
    """A nationality code as its country name in the page's language (``KR`` → 대한민국)."""
    return country_name(code)
