from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from investments.api import grants, ledger, people, reference
from portal import views
from portal.api import (
    ApiKeyViewSet,
    EventsView,
    ObtainTokenView,
    OfficeViewSet,
    SignOutView,
    WebhookViewSet,
    not_found,
)
from reporting.api import filings, notices, sanctions
from reporting.api import ledger as reporting
from reporting.api.imports import LedgerImportView, LedgerTemplateView
from reporting.api.statistics import OpenDataView

router = routers.DefaultRouter()
# No ``.json``-suffixed twins of every route: the API speaks JSON only (binary answers are
# their own actions), and the actions' signatures do not take the ``format`` argument, so the
# twins answered 500.
router.include_format_suffixes = False
router.register("offices", OfficeViewSet, basename="office")
router.register("zones", reference.ZoneViewSet, basename="zone")
router.register("investors", people.InvestorViewSet, basename="investor")
router.register("investments", ledger.InvestmentViewSet, basename="investment")
router.register("payments", ledger.PaymentViewSet, basename="payment")
router.register("recoveries", reporting.RecoveryViewSet, basename="recovery")
router.register("relatives", people.RelativeViewSet, basename="relative")
router.register("lapses", ledger.LapseViewSet, basename="lapse")
router.register("status-grants", grants.StatusGrantViewSet, basename="statusgrant")
router.register("obligations", reporting.ObligationViewSet, basename="obligation")
router.register("monthly-notices", notices.MonthlyNoticeViewSet, basename="monthlynotice")
router.register("withdrawal-reports", filings.WithdrawalReportViewSet, basename="withdrawalreport")
router.register("sanctions", sanctions.SanctionViewSet, basename="sanction")
router.register("compliance", sanctions.ComplianceViewSet, basename="compliance")
router.register(
    "proxy-applications", sanctions.ProxyApplicationViewSet, basename="proxyapplication"
)
router.register("api-keys", ApiKeyViewSet, basename="apikey")
router.register("webhooks", WebhookViewSet, basename="webhook")

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/sign-out/", SignOutView.as_view(), name="api-sign-out"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP forbids inline ones.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "investors/<int:pk>/eligibility/",
        reporting.EligibilityView.as_view(),
        name="investor-eligibility",
    ),
    path("events/", EventsView.as_view(), name="events"),
    path("statistics/open-data/", OpenDataView.as_view(), name="open-data"),
    path("imports/template/", LedgerTemplateView.as_view(), name="ledger-import-template"),
    path("imports/", LedgerImportView.as_view(), name="ledger-import"),
    path("", include(router.urls)),
    # Last: an address no route above matches (an id that is not a number, a typo) answers a
    # JSON 404 as the schema declares, never the HTML error page.
    re_path(r"^.*$", not_found, name="api-not-found"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("hq/", views.hq_overview, name="hq-overview"),
    path("integrations/", views.integrations, name="integrations"),
    path("integrations/<int:pk>/revoke/", views.revoke_key, name="integration-revoke"),
    path("accounts/second-factor/", views.second_factor_verify, name="second-factor-verify"),
    path("accounts/second-factor/setup/", views.second_factor_setup, name="second-factor-setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("", include("investments.urls")),
    path("", include("reporting.urls")),
]
