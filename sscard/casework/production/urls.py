"""Bank pre-opening and production batches: /staff/bank/... and /staff/production/... (in the namespace
"casework" of the staff workbench, see `sscard/staff_urls.py`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bank/", views.bank, name="bank"),
    path("bank/export", views.bank_export, name="bank_export"),
    path("bank/<str:number>", views.exchange_detail, name="exchange"),
    path("bank/<str:number>/request.csv", views.exchange_file, name="exchange_file"),
    path("production/", views.production, name="production"),
    path("production/new", views.batch_create, name="batch_create"),
    path("production/<str:number>", views.batch_detail, name="batch"),
    path("production/<str:number>/archive.zip", views.batch_archive, name="batch_archive"),
]
