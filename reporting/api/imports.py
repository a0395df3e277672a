"""REST API of the bulk ledger import (SPEC §5.4): the template to fill, and the upload.

The upload answers 201 with the rows created per sheet, or 400 (413 for a file over the size
limit) with every error as ``{sheet, row, column, column_letter, message}``; a refused file
changes nothing. Only institutions upload; the template is open to every signed-in user.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from investments.api.base import KeepsLedger
from portal import xlsx
from portal.choices import ApiScope

from .. import imports

# A multipart body carries the file plus boundaries and part headers; a body longer than the
# file limit by more than this is refused before it is read.
MULTIPART_OVERHEAD = 64 * 1024

RejectedSerializer = inline_serializer(
    "LedgerImportRejected",
    {
        "errors": inline_serializer(
            "LedgerImportError",
            {
                "sheet": serializers.CharField(allow_null=True),
                "row": serializers.IntegerField(allow_null=True, help_text="Excel row number"),
                "column": serializers.CharField(allow_null=True, help_text="column key"),
                "column_letter": serializers.CharField(allow_null=True),
                "message": serializers.CharField(),
            },
            many=True,
        )
    },
)
CreatedSerializer = inline_serializer(
    "LedgerImportCreated",
    {
        "created": inline_serializer(
            "LedgerImportCounts",
            {sheet.name: serializers.IntegerField() for sheet in imports.SHEETS},
        )
    },
)
UploadSerializer = inline_serializer("LedgerImportUpload", {"file": serializers.FileField()})


def rejected(errors, code=status.HTTP_400_BAD_REQUEST):
    return Response({"errors": errors}, status=code)


class LedgerTemplateView(APIView):
    """The .xlsx template of the bulk import: a README sheet (rules and codes) and one sheet
    per kind of row, with the column keys in row 1."""

    @extend_schema(responses={(200, xlsx.MIME): OpenApiTypes.BINARY})
    def get(self, request):
        return xlsx.response(imports.template_sheets(), filename="ledger-import-template.xlsx")


class LedgerImportView(APIView):
    """Upload a filled template as the multipart field ``file``. Every row is validated; one
    error refuses the whole file and nothing is saved."""

    parser_classes = [MultiPartParser]
    permission_classes = [permissions.IsAuthenticated, KeepsLedger]
    write_scope = ApiScope.LEDGER_WRITE

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: CreatedSerializer, 400: RejectedSerializer, 413: RejectedSerializer},
    )
    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > imports.limit("MAX_BYTES") + MULTIPART_OVERHEAD:
            return rejected(imports.too_large().errors, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        upload = request.FILES.get("file")
        if upload is None:
            message = _("Attach the filled template as the multipart field “file”.")
            return rejected([imports.error(message)])
        try:
            result = imports.import_ledger(by=request.user, file=upload)
        except imports.FileTooLarge as exc:
            return rejected(exc.errors, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        except imports.ImportRejected as exc:
            return rejected(exc.errors)
        return Response({"created": result.created}, status=status.HTTP_201_CREATED)
