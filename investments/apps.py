from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = _("Investments: reference data and ledger")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
