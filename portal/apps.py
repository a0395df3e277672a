from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Portal: offices, organisations and accounts")


class PortalAdminConfig(admin_apps.AdminConfig):
    """The admin site, entered only by HQ administrators (``portal.access.may_use_admin``)."""

    default = False  # ``portal`` itself is PortalConfig
    default_site = "portal.admin_gates.PortalAdminSite"
