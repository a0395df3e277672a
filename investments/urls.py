"""Pages of the ledger. The investor page, the recovery form, the corrections and the
investment export are reporting's (``reporting/urls.py``): they show or write what reporting
derives from the ledger."""

from django.urls import path

from .views import entries, reveal, tables

urlpatterns = [
    path("investors/", tables.investor_list, name="investor-list"),
    path("investors/new/", entries.investor_create, name="investor-new"),
    path("investors/<int:pk>/grant/", entries.grant_create, name="grant-new"),
    path("investors/<int:pk>/reveal/", reveal.investor_reveal, name="investor-reveal"),
    path("investments/", tables.investment_list, name="investment-list"),
    path("investments/new/", entries.investment_create, name="investment-new"),
    path("investments/<int:pk>/payment/", entries.payment_create, name="payment-new"),
    path("investments/<int:pk>/lapse/", entries.lapse_create, name="lapse-new"),
]
