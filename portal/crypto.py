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
