"""The API's JSON parser, in a module of its own: DRF reads ``DEFAULT_PARSER_CLASSES`` while
its views module is imported, which ``portal.rest`` itself imports."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class LimitedJSONParser(JSONParser):
    """JSON bodies of bounded size and nesting (issue 9.6): a body larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or nested deeper than ``API_JSON_MAX_DEPTH`` is a 400, where
    Python's parser would otherwise recurse until it fails with a 500. No request of the API
    needs more than a few levels (a bulk write is a list of flat objects)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise ParseError(_("The request body is too large."))
        if depth_exceeds(body, settings.API_JSON_MAX_DEPTH):
            raise ParseError(_("The JSON is nested too deeply."))
        return super().parse(io.BytesIO(body), media_type, parser_context)


def depth_exceeds(body, limit):
    """Whether brackets outside strings nest deeper than ``limit``: counted on the raw bytes,
    before any parser recurses."""
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False
