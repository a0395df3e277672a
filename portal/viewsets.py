"""View mixins every app's API shares: ETags and conditional corrections (issue 13.5), and
bulk writes (issue 13.4)."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from .rest import check_if_match, etag_of, row_error, row_errors, validation_detail


class ETagMixin:
    """Detail responses carry an ``ETag``; :meth:`correct` runs a correction verb only if the
    client's ``If-Match`` is the ETag of the record as it is now, read under a row lock so two
    clients correcting one record cannot both pass."""

    def retrieve(self, request, *args, **kwargs):
        return self.tagged(self.get_object())

    def tagged(self, instance, code=status.HTTP_200_OK):
        data = self.get_serializer(instance).data
        return Response(data, status=code, headers={"ETag": etag_of(data)})

    def correct(self, request, verb):
        """``verb(locked instance)`` under If-Match; answers the corrected representation."""
        with transaction.atomic():
            instance = self.get_object()
            locked = self.get_queryset().select_for_update(of=("self",)).get(pk=instance.pk)
            check_if_match(request, etag_of(self.get_serializer(locked).data))
            result = verb(locked)
        return self.tagged(self.get_queryset().get(pk=result.pk))


class BulkCreateMixin:
    """``POST …/bulk/`` with ``{"rows": [...]}``: up to ``API_BULK_MAX_ROWS`` rows, each the
    body the collection's ``POST`` takes, saved through the same serializer and verb, all or
    none (issue 13.4). A refusal lists every error as row errors, ``row`` counting from 1."""

    bulk_sheet = ""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description="All rows or none; errors as {sheet, row, column, column_letter, message}.",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list) or not rows:
            message = _("Send the rows as a non-empty list in “rows”.")
            return Response({"errors": [row_error(message, self.bulk_sheet)]}, status=400)
        if len(rows) > settings.API_BULK_MAX_ROWS:
            message = _("At most %(n)s rows in one request: split them.") % {
                "n": settings.API_BULK_MAX_ROWS
            }
            return Response({"errors": [row_error(message, self.bulk_sheet)]}, status=400)
        errors, created = [], []
        with transaction.atomic():
            for number, row in enumerate(rows, 1):
                serializer = self.get_serializer(data=row)
                if not serializer.is_valid():
                    errors += row_errors(serializer.errors, sheet=self.bulk_sheet, row=number)
                    continue
                try:
                    with transaction.atomic():
                        created.append(serializer.save())
                except DjangoValidationError as exc:
                    detail = validation_detail(exc)
                    errors += row_errors(detail, sheet=self.bulk_sheet, row=number)
            if errors:
                transaction.set_rollback(True)
                return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        results = self.get_serializer(created, many=True).data
        return Response({"created": len(created), "results": results}, status=201)
