"""Messages of the admin's third-party parts that their packages do not translate into Korean:
django-simple-history's history pages and django-axes' model names. Listed here with
``gettext_noop`` so ``makemessages`` keeps them in our catalogue, which Django reads before
the packages' own (``LOCALE_PATHS``); nothing imports this module. django-otp's "TOTP device"
and simple-history's "historical …" model names are plain strings there and cannot be
translated this way (tests/test_korean_pages.py allows them by name)."""

from django.utils.translation import gettext_noop

MESSAGES = [
    # simple_history/admin.py
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %s"),
    # simple_history/models.py: the kind of a version
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    # simple_history/templates/simple_history/*.html
    gettext_noop("Change History"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    ),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    gettext_noop("Revert"),
    # axes/models.py
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
]
