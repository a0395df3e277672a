"""The portal's pages: the ledger (investors, investments and their forms), dashboards,
deadlines, filings, notices, imports and compliance.

They live in ``reporting`` because pages are the top layer: they show the ledger together
with its deadlines and the rules' answers, and only ``reporting`` may import both."""

from django.urls import path

from .views import (
    dashboards,
    exports,
    filings,
    imports,
    ledger,
    notices,
    obligations,
    pipeline,
    reviews,
    sanctions,
    statistics,
)

urlpatterns = [
    path("investors/", ledger.investor_list, name="investor-list"),
    path("investors/new/", ledger.investor_create, name="investor-new"),
    path("investors/<int:pk>/", ledger.investor_detail, name="investor-detail"),
    path("investors/<int:pk>/grant/", ledger.grant_create, name="grant-new"),
    path("investments/", ledger.investment_list, name="investment-list"),
    path("investments/export.xlsx", ledger.investment_export, name="investment-export"),
    path("investments/new/", ledger.investment_create, name="investment-new"),
    path("investments/<int:pk>/payment/", ledger.payment_create, name="payment-new"),
    path("investments/<int:pk>/recovery/", ledger.recovery_create, name="recovery-new"),
    path("investments/<int:pk>/lapse/", ledger.lapse_create, name="lapse-new"),
    path("dashboard/", dashboards.institution_dashboard, name="institution-dashboard"),
    path("office/", dashboards.office_dashboard, name="office-dashboard"),
    path("deadlines/", obligations.obligation_list, name="obligation-list"),
    path("deadlines/export.xlsx", obligations.obligation_export, name="obligation-export"),
    path("deadlines/<int:pk>/file/", filings.file_report, name="report-file"),
    path("recoveries/unledgered/", filings.file_unledgered, name="report-unledgered"),
    path("reports/<int:pk>/", filings.report_detail, name="report-detail"),
    path("reports/<int:pk>/letter/", filings.report_letter, name="report-letter"),
    path("reports/<int:pk>/letter.pdf", filings.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/amend/", filings.report_amend, name="report-amend"),
    path("reports/<int:pk>/review/", filings.report_review, name="report-review"),
    path("reviews/", reviews.review_queue_page, name="review-queue"),
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/compute/", notices.notice_compute, name="notice-compute"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/workbook.xlsx", notices.notice_xlsx, name="notice-xlsx"),
    path("notices/<int:pk>/remarks/", notices.notice_remarks, name="notice-remarks"),
    path("notices/<int:pk>/submit/", notices.notice_submit, name="notice-submit"),
    path("notices/<int:pk>/amend/", notices.notice_amend, name="notice-amend"),
    path("import/", imports.ledger_import, name="ledger-import"),
    path("import/template.xlsx", imports.ledger_template, name="ledger-template"),
    path("compliance/", sanctions.sanction_list, name="sanction-list"),
    path("compliance/sanctions/", sanctions.sanction_create, name="sanction-new"),
    path("compliance/sanctions/<int:pk>/lift/", sanctions.sanction_lift, name="sanction-lift"),
    path("f5-pipeline/", pipeline.f5_pipeline, name="f5-pipeline"),
    path("hq/statistics/", statistics.national_statistics, name="national-statistics"),
    path(
        "hq/statistics/open-data.<str:extension>",
        statistics.open_data_download,
        name="open-data-download",
    ),
    path("exports/", exports.export_start, name="export-start"),
    path("exports/<int:pk>/", exports.export_detail, name="export-detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
]
