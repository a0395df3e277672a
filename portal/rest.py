"""Building blocks of the REST API shared by every app: pagination, error shapes, money,
access-gated foreign keys, ETags. Kept free of views so DRF settings can import it; the view
mixins built on these are in ``portal.viewsets``."""

import hashlib
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import pagination, serializers, status
from rest_framework.exceptions import APIException, ErrorDetail, Throttled, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from portal import months
from portal.forms import field_messages
from portal.money import MoneyError, parse_krw


class IdCursor(pagination.CursorPagination):
    """Rows in id order behind an opaque cursor, without a count."""

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 500


class Pagination(pagination.PageNumberPagination):
    """Page numbers with a ``count`` (the default), or, when the query names ``cursor`` (empty
    for the first page), a cursor through the rows in id order with no ``count``.

    The cursor is the way to read a whole large list: each page costs the same however long
    the list, where a page number must count every row the caller may see — at national scale
    most of a page's time (docs/performance.md). Following ``next`` never skips or repeats a
    row even while rows are added."""

    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = IdCursor.cursor_query_param

    def paginate_queryset(self, queryset, request, view=None):
        self.by_cursor = IdCursor() if self.cursor_query_param in request.query_params else None
        if self.by_cursor:
            return self.by_cursor.paginate_queryset(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.by_cursor:
            return self.by_cursor.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]  # a cursor page has no count
        answer["properties"]["count"]["description"] = "Absent when reading by cursor."
        return answer

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Read by cursor in id order, without a count: empty for the "
                "first page, then follow `next`.",
                "schema": {"type": "string"},
            },
        ]


def validation_detail(exc):
    """A Django ``ValidationError`` as DRF's ``{field: [messages]}``."""
    detail = {}
    for field, message in field_messages(exc):
        detail.setdefault(field or api_settings.NON_FIELD_ERRORS_KEY, []).append(message)
    return detail


def exception_handler(exc, context):
    """Service functions refuse with Django's ValidationError: answer it as a 400 with the
    same field messages DRF uses. A throttled request is told when to come back in one
    sentence (DRF's own adds a second one, and its Korean is not the portal's)."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_detail(exc))
    if isinstance(exc, Throttled) and exc.wait is not None:
        exc.detail = ErrorDetail(throttled_message(exc.wait), code=exc.default_code)
    return drf_exception_handler(exc, context)


# --- throttling (issue 9.4) -------------------------------------------------------------------


def throttled_message(wait):
    seconds = max(1, int(wait + 0.999))
    return ngettext(
        "Too many requests: try again in %(seconds)d second.",
        "Too many requests: try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


# --- row errors: one shape for the spreadsheet import and the bulk writes ---------------------


def row_error(message, sheet=None, row=None, column=None, letter=None):
    """One refused cell or row: ``{sheet, row, column, column_letter, message}`` (None where
    it does not apply). The spreadsheet import and the API's bulk writes both answer so."""
    return {
        "sheet": sheet,
        "row": row,
        "column": column,
        "column_letter": letter,
        "message": str(message),
    }


def row_errors(detail, *, sheet, row):
    """DRF error detail (``{field: [messages]}``, possibly nested) as row errors."""
    errors = []
    for field, messages in detail.items():
        column = None if field == api_settings.NON_FIELD_ERRORS_KEY else field
        if isinstance(messages, dict):
            errors += row_errors(messages, sheet=sheet, row=row)
            continue
        for message in messages if isinstance(messages, list) else [messages]:
            errors.append(row_error(message, sheet, row, column))
    return errors


# --- ETags and conditional corrections (issue 13.5) -------------------------------------------


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record changed since you read it: read it again and retry with its new ETag."
    )
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("A correction needs an If-Match header with the ETag you read.")
    default_code = "precondition_required"


def etag_of(data):
    """A strong ETag of a representation: the SHA-256 of its canonical JSON."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:40] + '"'


def check_if_match(request, current):
    """RFC 9110 If-Match with strong comparison: absent → 428, no match → 412."""
    given = request.headers.get("If-Match")
    if not given:
        raise PreconditionRequired
    tags = [tag.strip() for tag in given.split(",")]
    if "*" not in tags and current not in tags:
        raise PreconditionFailed


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The ETag you read."
)


@extend_schema_field(OpenApiTypes.INT)
class KRWField(serializers.Field):
    """A positive whole number of KRW. Floats, fractions, booleans and signs are refused rather
    than rounded: money is never a float."""

    def to_internal_value(self, data):
        try:
            return parse_krw(data)
        except MoneyError as error:
            raise serializers.ValidationError(error.message, code="invalid") from None

    def to_representation(self, value):
        return int(value)


#: How a month is written in the API (a notice's or an obligation's ``period``).
MONTH_SCHEMA = {"type": "string", "pattern": f"^{months.MONTH.pattern}$", "example": "2025-09"}


@extend_schema_field(MONTH_SCHEMA)
class MonthField(serializers.Field):
    """A month as "YYYY-MM" (kept as the month's first day)."""

    default_error_messages = {"invalid": _("Enter the month as YYYY-MM.")}

    def to_internal_value(self, data):
        try:
            return months.parse_month(data)
        except (TypeError, ValueError):
            self.fail("invalid")

    def to_representation(self, value):
        return value.strftime("%Y-%m")


@extend_schema_field(MONTH_SCHEMA)
class MonthFilter(filters.DateFilter):
    """A query parameter naming a month as "YYYY-MM"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m"])
        kwargs.setdefault("help_text", "YYYY-MM")
        super().__init__(**kwargs)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key restricted to what the caller may see: another organisation's id is
    "does not exist", exactly like an id that was never issued."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)
