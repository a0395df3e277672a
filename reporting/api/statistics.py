"""``GET /api/v1/statistics/open-data/``: the national statistics as open data (issue 13.7),
suppressed as ``reporting.statistics`` explains. ``?format=csv`` or ``?format=xlsx`` (or the
matching ``Accept``) gives the file; JSON by default. Any signed-in user may read it: nothing
in it identifies a person."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import xlsx

from .. import open_data, statistics
from .notices import XLSXRenderer


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else renderers.JSONRenderer().render(data)


class OpenDataView(APIView):
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First month, YYYY-MM"),
            OpenApiParameter("to", str, description="Last month, YYYY-MM"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        first, last = open_data.period_range(
            request.query_params.get("from"), request.query_params.get("to")
        )
        rows = statistics.open_data(first, last)
        kind = request.accepted_renderer.format
        if kind in ("csv", "xlsx"):
            body, mime = (
                (open_data.csv_bytes(rows), "text/csv; charset=utf-8")
                if kind == "csv"
                else (open_data.xlsx_bytes(rows, first, last), xlsx.MIME)
            )
            response = HttpResponse(body, content_type=mime)
            name = open_data.filename(first, last, kind)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return Response(
            {
                "from": f"{first:%Y-%m}",
                "to": f"{last:%Y-%m}",
                "min_investors": statistics.min_investors(),
                "columns": statistics.OPEN_DATA_COLUMNS,
                "results": rows,
            }
        )
