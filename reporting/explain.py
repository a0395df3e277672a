"""The rules' reasons in the reader's language (issue 8, "explanations people can act on").

The rules return a message id and its parameters (``investments.rules.facts.explained``);
this edge translates the message for the active language (pages: the user's; API:
``Accept-Language``), formats amounts with the portal's KRW filter and turns the source key
("seed §6.H", "Civil Act art. 157", "[decision] …") into a readable citation.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

from investments.rules.facts import Reason, separator
from portal.money import format_krw
from portal.names import LocalNamed

SEED = re.compile(r"seed (§.+)")
CIVIL = re.compile(r"Civil Act arts?\. ([\d, ]+)")


def render(reason):
    """The reason's sentence in the active language (its English text when it has no
    message id yet)."""
    if not reason.message:
        return reason.text
    values = {key: _value(key, value) for key, value in reason.params}
    return _(reason.message) % values


def _value(key, value):
    if key.endswith("_krw") and isinstance(value, int):
        return format_krw(value)
    if isinstance(value, Reason):
        return render(value)
    if isinstance(value, LocalNamed):  # an office: its name in the reader's language
        return value.local_name
    if isinstance(value, tuple):
        return separator(key).join(_value("", item) for item in value)
    if key.endswith("_text") and isinstance(value, str):
        return _(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def cite(source):
    """A readable citation: "seed §6.H" → "Immigration guideline §6.H" (출입국 지침 §6.H),
    "Civil Act art. 157" → 민법 제157조; a portal decision or public source is named as such,
    never by its internal key."""
    cited = []
    for part in (p.strip() for p in source.split(";")):
        for text in _cite_part(part):
            if text and text not in cited:
                cited.append(text)
    return "; ".join(cited)


def _cite_part(part):
    if match := SEED.fullmatch(part):
        return [_("Immigration guideline %(sections)s") % {"sections": match[1]}]
    if match := CIVIL.match(part):
        found = [n.strip() for n in match[1].split(",") if n.strip()]
        cited = [_("Civil Act art. %(article)s") % {"article": n} for n in found]
        return cited + _cite_part(part[match.end() :].strip())
    if part.startswith("SPEC"):
        return [_("portal specification")]
    if part.startswith("[") or part.endswith("]"):
        words = part.strip("[]").split("]")[0]
        cited = []
        if "public" in words:
            cited.append(_("public source"))
        if "decision" in words:
            cited.append(_("portal decision (see the rules documentation)"))
        return cited
    if "decision" in part:
        return [_("portal decision (see the rules documentation)")]
    return [part]
