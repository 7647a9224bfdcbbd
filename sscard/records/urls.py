"""The citizen's records pages: /records/mine/ and the employer workspace /records/employer/."""

from django.urls import path, re_path

from . import views
from .consultation import views as consultation
from .declarations import views as declarations
from .objections import views as objections
from .queries import views as queries
from .statements import views as statements

app_name = "records"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/records.csv", queries.mine_csv, name="mine_csv"),
    path("mine/records.pdf", queries.mine_pdf, name="mine_pdf"),
    path("mine/authorisations/", queries.authorisations_page, name="authorisations"),
    path("mine/authorisations/<int:pk>/revoke", queries.authorisation_revoke, name="authorisation_revoke"),
    path("verify/", queries.verify, name="verify"),
    path("employer/contributions/", queries.employer_records, name="employer_records"),
    path("employer/contributions.csv", queries.employer_records_csv, name="employer_records_csv"),
    path("statements/", statements.mine, name="statements"),
    re_path(r"^statements/(?P<serial>[0-9]{4}[YD][0-9A-F]{10})\.pdf$", statements.download, name="statement_pdf"),
    path("statements/verify/", statements.verify, name="statement_verify"),
    path("employer/", views.workspace, name="workspace"),
    path("employer/register/", views.register, name="register"),
    path("employer/declarations/", declarations.index, name="declarations"),
    path("employer/declarations/new/", declarations.new, name="declaration_new"),
    path("employer/declarations/template.csv", declarations.template_csv, name="declaration_template"),
    path("employer/declarations/<int:pk>/", declarations.detail, name="declaration"),
    path("employer/declarations/<int:pk>/confirm/", declarations.confirm, name="declaration_confirm"),
    path("employer/declarations/vouchers/<int:pk>/", declarations.voucher, name="declaration_voucher"),
    path("objections/", objections.index, name="objections"),
    path("objections/new/", objections.new, name="objection_new"),
    path("objections/<int:pk>/", objections.detail, name="objection"),
    path("employer/objections/new/", objections.employer_new, name="employer_objection_new"),
    path("consultation/", consultation.index, name="consultation"),
    path("consultation/<int:pk>/", consultation.detail, name="question"),
    re_path(r"^employer/declarations/(?P<month>[0-9]{4}-[0-9]{2})/$", declarations.month_view,
            name="declaration_month"),
]
