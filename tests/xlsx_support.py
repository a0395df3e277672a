"""Reading back what the portal wrote: a downloaded workbook (streamed responses included)
opened with openpyxl, as a spreadsheet program's user would see its cells."""

from io import BytesIO

from openpyxl import load_workbook

from portal import xlsx


def body(response):
    """The bytes of a response, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def workbook(source):
    """A workbook from a response, from bytes, or from ``portal.xlsx`` sheets."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, list):
        data = xlsx.to_bytes(source)
    else:
        data = body(source)
    return load_workbook(BytesIO(data))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def export_rows(response):
    """The rows of the first sheet of a downloaded .xlsx export."""
    assert response["Content-Type"] == xlsx.MIME
    return rows(workbook(response).active)
