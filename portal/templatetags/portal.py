"""Formatting used across pages: money in KRW (and 억 in Korean), due-date countdowns, states."""

from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal.names import country_name

register = template.Library()


@register.filter
def krw(value):
    """1000000000 → 'KRW 1,000,000,000' (English) or '1,000,000,000원' (Korean)."""
    if value in (None, ""):
        return "—"
    amount = f"{int(value):,}"
    return f"{amount}원" if (get_language() or "").startswith("ko") else f"KRW {amount}"


@register.filter
def eok(value):
    """Korean readers count large sums in 억 (10^8) and 만 (10^4): 1,250,000,000 → '12억 5,000만'.
    Other languages get the plain KRW amount."""
    if value in (None, ""):
        return "—"
    value = int(value)
    if not (get_language() or "").startswith("ko") or abs(value) < 100_000_000:
        return krw(value)
    eok_part, rest = divmod(value, 100_000_000)
    man = rest // 10_000
    return f"{eok_part:,}억 {man:,}만 원" if man else f"{eok_part:,}억 원"


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


@register.filter
def country(code):
    """A nationality code as its country name in the page's language (``KR`` → 대한민국)."""
    return country_name(code)
