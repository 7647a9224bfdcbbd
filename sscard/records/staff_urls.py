"""The records officer's pages: /staff/records/... (in the namespace "casework" of the staff workbench, see
`sscard/staff_urls.py`)."""

from django.urls import path, re_path

from . import staff_views
from .consultation import staff_views as consultation
from .objections import staff_views as objections
from .queries import staff_views as query_views
from .retirement import staff_views as retirement
from .statements import views as statements

urlpatterns = [
    path("records/employers/", staff_views.employers, name="records_employers"),
    path("records/employers/<int:pk>/", staff_views.employer, name="records_employer"),
    path("records/employers/<int:pk>/decide", staff_views.employer_decide, name="records_employer_decide"),
    path("records/declarations/", staff_views.declarations, name="records_declarations"),
    re_path(r"^records/employers/(?P<pk>[0-9]+)/months/(?P<month>[0-9]{4}-[0-9]{2})/$", staff_views.employer_month,
            name="records_employer_month"),
    re_path(r"^records/employers/(?P<pk>[0-9]+)/months/(?P<month>[0-9]{4}-[0-9]{2})/correct$",
            staff_views.employer_month_correct, name="records_employer_month_correct"),
    path("records/statements/", statements.batches, name="records_statements"),
    path("records/arrears/", staff_views.arrears, name="records_arrears"),
    path("records/payments/file/", staff_views.payment_file, name="records_payment_file"),
    path("records/payments/entry/", staff_views.payment_entry, name="records_payment_entry"),
    path("records/objections/", objections.queue, name="records_objections"),
    path("records/objections/<int:pk>/", objections.detail, name="records_objection"),
    path("records/objections/<int:pk>/claim", objections.claim, name="records_objection_claim"),
    path("records/objections/<int:pk>/decide", objections.decide, name="records_objection_decide"),
    path("records/objections/<int:pk>/evidence/<int:item>", objections.evidence,
         name="records_objection_evidence"),
    path("records/questions/", consultation.queue, name="records_questions"),
    path("records/questions/<int:pk>/", consultation.detail, name="records_question"),
    path("records/dashboard/", consultation.dashboard, name="records_dashboard"),
    path("records/persons/", query_views.person, name="records_person"),
    path("records/persons/retirement", retirement.register, name="records_person_retirement"),
    path("records/exports/", query_views.exports_page, name="records_exports"),
    path("records/exports/<int:pk>/decide", query_views.export_decide, name="records_export_decide"),
    path("records/exports/<int:pk>/download", query_views.export_download, name="records_export_download"),
]
