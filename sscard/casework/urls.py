from django.urls import path

from . import identity_views, views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<str:code>", views.case_detail, name="case"),
    path("cases/<str:code>/photo.jpg", views.case_photo, name="case_photo"),
    path("cases/<str:code>/<slug:action>", views.case_action, name="case_action"),
    path("bank/", views.bank, name="bank"),
    path("bank/export", views.bank_export, name="bank_export"),
    path("bank/<str:number>", views.exchange_detail, name="exchange"),
    path("bank/<str:number>/request.csv", views.exchange_file, name="exchange_file"),
    path("production/", views.production, name="production"),
    path("production/new", views.batch_create, name="batch_create"),
    path("production/<str:number>", views.batch_detail, name="batch"),
    path("production/<str:number>/archive.zip", views.batch_archive, name="batch_archive"),
    path("post/", views.post, name="post"),
    path("outlet/", views.outlet, name="outlet"),
    path("outlet/<str:number>/<slug:step>", views.outlet_batch, name="outlet_batch"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:what>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("id-numbers/", identity_views.corrections, name="id_number_corrections"),
    path("id-numbers/propose", identity_views.propose, name="id_number_propose"),
    path("id-numbers/<int:pk>", identity_views.detail, name="id_number_correction"),
    path("id-numbers/<int:pk>/decide", identity_views.decide, name="id_number_decide"),
]
