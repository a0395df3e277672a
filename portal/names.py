"""Names in the reader's language: one idiom for every reference row with a Korean name."""

from django.utils.translation import get_language


def reads_korean():
    """Whether the page being rendered is in Korean."""
    return (get_language() or "").startswith("ko")


class LocalNamed:
    """For a model with ``name`` (English, the register's spelling) and ``name_ko``: templates
    and forms show ``local_name`` so a Korean page never falls back to English where a Korean
    name is known, and an English page never shows Hangul."""

    @property
    def local_name(self):
        if reads_korean() and getattr(self, "name_ko", ""):
            return self.name_ko
        return self.name
