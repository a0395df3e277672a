"""Protection of unique identification information (PIPA art. 24): passport and alien
registration numbers.

* ``EncryptedCharField`` stores the value Fernet-encrypted (AES-128-CBC + HMAC-SHA256); the
  clear value exists only in memory. Keys come from ``settings.FIELD_ENCRYPTION_KEYS``; the
  first encrypts, every key decrypts, so rotation is "prepend a key, re-save rows".
* ``keyed_hash`` is an HMAC-SHA256 of a normalised value, stored beside the ciphertext so the
  registry can find a record (and recognise one person across institutions) without decrypting.
* ``mask`` is how a number is shown everywhere except the logged "reveal" action.
"""

import hashlib
import hmac
import logging
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models


@cache
def _fernet(keys):
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def normalise_identifier(value):
    """Upper-case and drop spaces and dashes: 'm 123-4567' and 'M1234567' are one passport."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def keyed_hash(*parts):
    message = "|".join(normalise_identifier(part) for part in parts).encode()
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mask(value):
    """'M12345678' -> 'M1*****78'. Short values are masked whole."""
    if not value:
        return ""
    value = normalise_identifier(value)
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


class EncryptedCharField(models.TextField):
    """A text column holding a Fernet token; Python code sees the clear value.

    The column cannot be filtered on (the ciphertext is randomised); query the keyed-hash
    column stored beside it instead.
    """

    description = "Encrypted text"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return fernet().encrypt(str(value).encode()).decode()

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return fernet().decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ValueError(
                "An encrypted field could not be decrypted with the configured keys."
            ) from exc

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise FieldError(
                f"Encrypted fields cannot be queried with '{lookup_name}'; use the keyed hash."
            )
        return super().get_lookup(lookup_name)


# --- identifiers that still reach a log line ------------------------------------------------
# A passport number is one or two letters and 7–9 digits (Korean and most foreign passports;
# a few carry a letter among the digits, e.g. M123A4567); an alien registration number is
# six digits, an optional hyphen and seven digits. Matching whole words keeps ids, dates and
# amounts in log lines intact.
IDENTIFIER_SHAPES = re.compile(r"\b(?:[A-Za-z]{1,2}\d{3}[A-Za-z]?\d{4,5}|\d{6}-?\d{7})\b")


def mask_identifiers(text):
    """Every passport- or ARN-shaped word of ``text`` masked as :func:`mask` does."""
    return IDENTIFIER_SHAPES.sub(lambda match: mask(match.group()), text)


class MaskIdentifiersFilter(logging.Filter):
    """A logging filter (``settings.LOGGING``, on every handler) that masks identification
    numbers in the message and in a traceback before any handler writes the record: a URL in
    an access log, a value echoed in an error, a row of a refused import."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_identifiers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_identifiers(record.exc_text)
        return True
