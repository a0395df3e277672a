"""Building blocks of the REST API shared by every app: pagination, error shape, money and
access-gated foreign keys. Kept free of viewsets so DRF settings can import it."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Service functions refuse with Django's ValidationError: answer it as a 400 with the
    same field messages DRF uses."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
                for key, value in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


@extend_schema_field(OpenApiTypes.INT)
class KRWField(serializers.Field):
    """A positive whole number of KRW. Floats, fractions, booleans and signs are refused rather
    than rounded: money is never a float."""

    default_error_messages = {
        "invalid": _("Enter a whole number of KRW (no decimals, no separators)."),
        "positive": _("The amount must be greater than zero."),
        "too_large": _("The amount is larger than any investment could be."),
    }
    MAX = 10**15

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, str):
            if not data.isascii() or not data.isdigit():
                self.fail("invalid")
            data = int(data)
        if data <= 0:
            self.fail("positive")
        if data > self.MAX:
            self.fail("too_large")
        return data

    def to_representation(self, value):
        return int(value)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key restricted to what the caller may see: another organisation's id is
    "does not exist", exactly like an id that was never issued."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)
