"""The URLconf read as a list of URLs to visit, for the tests that must cover every page
without being edited when one is added (the permission sweep, the Korean-page check)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# Fixed values for parameters that are not row ids.
WORDS = {
    "format": "json",
    "extension": "csv",
    "app_label": "investments",
    "uidb64": "MQ",
    "token": "set-password",
    "code": "incheon-fez",
    "url": "x",
}
# ``{url}`` is the admin's catch-all: the sweep visits it once with a word.
ID_PARAMETERS = {"pk", "object_id", "version_id", "id", "content_type_id"}


def patterns(resolver=None, prefix=""):
    """(URL template with ``{name}`` slots, URL name) for every pattern of the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        template = prefix + route(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, template)
        elif isinstance(entry, URLPattern):
            yield template, entry.name


def route(pattern):
    """A pattern's text as a template: ``<int:pk>`` and ``(?P<pk>…)`` become ``{pk}``."""
    text = str(pattern)
    text = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", r"{\1}", text)
    text = re.sub(r"\([^()?]*\)", "{id}", text)  # an unnamed group: history's object, version
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
    return text


def fill(template, ids, pairs=()):
    """Every URL the template gives with each id in each id slot. A template with two id
    slots (an admin history entry: the object, then its history row) is filled from ``pairs``
    when given — each object with its own history id — instead of every id with every id,
    which multiplied the sweep's requests by the number of ids."""
    names = re.findall(r"{(\w+)}", template)
    slots = [name for name in names if name in ID_PARAMETERS]
    urls = [template]
    if pairs and len(slots) == 2:
        urls = [
            template.replace("{" + slots[0] + "}", str(first), 1).replace(
                "{" + slots[1] + "}", str(second), 1
            )
            for first, second in pairs
        ]
        names = [name for name in names if name not in ID_PARAMETERS]
    for name in names:
        values = [str(i) for i in ids] if name in ID_PARAMETERS else [WORDS.get(name, "x")]
        urls = [url.replace("{" + name + "}", value, 1) for url in urls for value in values]
    return ["/" + url.lstrip("/") for url in urls]
