from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import routers
from rest_framework.authtoken.views import obtain_auth_token

from investments import api as ledger
from portal.api import OfficeViewSet

router = routers.DefaultRouter()
router.register("offices", OfficeViewSet, basename="office")
router.register("zones", ledger.ZoneViewSet, basename="zone")
router.register("investors", ledger.InvestorViewSet, basename="investor")
router.register("investments", ledger.InvestmentViewSet, basename="investment")
router.register("payments", ledger.PaymentViewSet, basename="payment")
router.register("recoveries", ledger.RecoveryViewSet, basename="recovery")
router.register("lapses", ledger.LapseViewSet, basename="lapse")
router.register("status-grants", ledger.StatusGrantViewSet, basename="statusgrant")

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]
