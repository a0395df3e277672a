"""Issue 9.3: no identification number in a log line. Whatever still carries a passport or
alien registration number into a log record — a URL, an error, a refused value — is masked
by the filter every handler of ``settings.LOGGING`` has. The tests read what the configured
handlers write."""

import io
import logging

import pytest

from tests.conftest import INCHEON_PASSPORT, JEJU_ARN, JEJU_PASSPORT


@pytest.fixture
def written():
    """What the configured root and access-log handlers write, while the test runs."""
    handlers = logging.getLogger().handlers + logging.getLogger("django.server").handlers
    handlers = [h for h in handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert len(handlers) >= 2, "settings.LOGGING configures filtered handlers"
    buffer = io.StringIO()
    streams = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, streams, strict=True):
        handler.setStream(stream)


@pytest.mark.parametrize("identifier", [JEJU_PASSPORT, INCHEON_PASSPORT, JEJU_ARN, "7504125123456"])
def test_an_identifier_in_a_message_is_masked(written, identifier):
    logging.getLogger("reporting.imports").warning("Refused row with %s in it", identifier)

    line = written.getvalue()
    assert identifier not in line
    assert "Refused row with" in line and "*" in line


def test_the_access_log_masks_a_passport_in_a_url(written):
    logging.getLogger("django.server").info(
        '"GET /api/v1/investors/?passport_number=%s HTTP/1.1" 200 512', JEJU_PASSPORT
    )

    assert JEJU_PASSPORT not in written.getvalue()
    assert "passport_number=E1*****78" in written.getvalue()


def test_a_traceback_is_masked_too(written):
    try:
        raise ValueError(f"bad number {INCHEON_PASSPORT}")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error")

    assert INCHEON_PASSPORT not in written.getvalue()
    assert "ValueError: bad number TK*****67" in written.getvalue()


@pytest.mark.django_db
def test_a_request_that_logs_a_url_with_a_passport_leaves_it_masked(client, written):
    client.get(f"/no-such-page/{JEJU_PASSPORT}/")

    assert "Not Found" in written.getvalue()
    assert JEJU_PASSPORT not in written.getvalue()


def test_ids_dates_and_amounts_are_left_alone(written):
    logging.getLogger("reporting").info("investment 1203 on 2025-02-03: KRW 1000000000")

    assert "investment 1203 on 2025-02-03: KRW 1000000000" in written.getvalue()
