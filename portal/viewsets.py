"""View mixins every app's API shares: ETags and conditional corrections (issue 13.5), bulk
writes (issue 13.4), and lists read as plain rows (issue "national scale", item 3)."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import fields, relations, serializers, status
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

    def correct(self, request, verb, body=None):
        """``verb(locked instance)`` under If-Match; answers the corrected representation.
        Given ``body`` (a serializer of the request's body), the body is checked first and
        the verb is ``verb(locked instance, validated body)``."""
        if body is not None:
            checked = body(data=request.data)
            checked.is_valid(raise_exception=True)
            return self.correct(request, lambda instance: verb(instance, checked.validated_data))
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


class Row(dict):
    """One ``values()`` row that a serializer's method field can read like the model
    instance it stands for (``row.receipt_number``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _lookup(field):
    """The ``values()`` lookup of a serializer field, and whether the value read is already
    its representation (a related field: the related row's id or slug)."""
    path = "__".join(field.source_attrs)
    if isinstance(field, relations.SlugRelatedField):
        return f"{path}__{field.slug_field}", True
    if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
        return f"{path}__pk", True
    if isinstance(field, relations.RelatedField | relations.ManyRelatedField):
        raise TypeError(f"{field.field_name}: a list of plain rows cannot show {type(field)}")
    if field.source == "*":
        raise TypeError(f"{field.field_name}: a list of plain rows cannot show the whole row")
    if type(field).get_attribute is not fields.Field.get_attribute:
        raise TypeError(f"{field.field_name}: reads its value its own way, not from a column")
    return path, False


class PlainRowsListMixin:
    """``list`` reads the page with ``values()`` and writes each row with the serializer's own
    fields, without a model instance per row or DRF's attribute walk per field: at national
    scale those were most of what a list added to reading its rows (docs/performance.md).
    The response is the serializer's, field for field: every value goes through the same
    field's ``to_representation`` (a related field's id or slug is read as the column), and
    a method field is called with a :class:`Row` holding the columns named in
    ``list_reads``. A field it cannot read from one row (a many-to-many, ``source="*"``, a
    field with its own ``get_attribute``) is refused when the list is first served, never
    guessed. What a method field reads from other tables is added to the page's rows by
    :meth:`attach_to_rows`, with one query for the whole page."""

    #: Columns the serializer's method fields read from the row.
    list_reads = ()

    def attach_to_rows(self, rows):
        """Add to the page's rows (dicts) what a method field reads beyond their columns."""

    def list(self, request, *args, **kwargs):
        serializer = self.get_serializer()
        plan, lookups = [], {"pk", *self.list_reads}
        for field in serializer._readable_fields:
            if isinstance(field, serializers.SerializerMethodField):
                method = getattr(serializer, field.method_name)
                plan.append((field.field_name, None, lambda row, get=method: get(Row(row))))
                continue
            lookup, plain = _lookup(field)
            lookups.add(lookup)
            represent = None if plain else field.to_representation
            plan.append((field.field_name, lookup, represent))
        rows = self.filter_queryset(self.get_queryset()).values(*lookups)
        page = self.paginate_queryset(rows)
        shown = list(rows if page is None else page)
        self.attach_to_rows(shown)
        data = [self._represent(plan, row) for row in shown]
        return Response(data) if page is None else self.get_paginated_response(data)

    @staticmethod
    def _represent(plan, row):
        answer = {}
        for name, lookup, represent in plan:
            if lookup is None:  # a method field, given the row
                answer[name] = represent(row)
                continue
            value = row[lookup]
            answer[name] = value if value is None or represent is None else represent(value)
        return answer
