"""The published OpenAPI contract (issue 9.9): drf-spectacular's schema with the error answers
declared on every operation, so the schema lists every status code a client can meet. The
live API is held to it by ``.ci/api_contract.py`` (schemathesis, every role).

Kept out of ``portal.rest``: drf-spectacular's ``AutoSchema`` reads the DRF settings when it is
imported, and the DRF settings import ``portal.rest``.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

#: The errors every operation may answer, each with the body DRF gives it. A 400 is field
#: messages (``{field: [messages]}``, or per row for the bulk writes); the others a ``detail``.
ERROR_RESPONSES = {
    "400": ("ValidationErrors", _("The request is invalid: messages by field.")),
    "401": ("Error", _("No valid credentials were sent.")),
    "403": ("Error", _("The caller may not do this.")),
    "404": ("Error", _("Not found, or another organisation's.")),
    "429": ("Error", _("Too many requests: retry later.")),
}
#: What a correction under ``If-Match`` adds (``check_if_match``).
PRECONDITION_RESPONSES = {
    "412": ("Error", _("The record changed since its ETag was read.")),
    "428": ("Error", _("The If-Match header is missing.")),
}
ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "oneOf": [
            {"type": "object", "additionalProperties": {}},
            {"type": "array", "items": {}},
        ]
    },
}


class PortalSchema(AutoSchema):
    """drf-spectacular's schema plus the error answers of every operation."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERROR_RESPONSES)
        if any(p.get("name") == "If-Match" for p in self._get_parameters()):
            errors.update(PRECONDITION_RESPONSES)
        # An action that answers a file or a page (a letter, a workbook) renders its errors
        # in what the client asked for too (``?format=html`` gives the HTML error page).
        other_media = {
            media
            for code, response in responses.items()
            if code.startswith("2")
            for media in response.get("content", {})
            if media != "application/json"
        }
        for code, (name, description) in errors.items():
            if code in responses:
                continue
            content = {"application/json": {"schema": self._error_component(name).ref}}
            for media in sorted(other_media):
                binary = not media.startswith("text/")
                content[media] = {
                    "schema": {"type": "string", **({"format": "binary"} if binary else {})}
                }
            responses[code] = {"content": content, "description": str(description)}
        return responses

    def _error_component(self, name):
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_SCHEMAS[name]
        )
        self.registry.register_on_missing(component)
        return component
