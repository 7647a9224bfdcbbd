"""Development-only pages, mounted at /dev/ (each view answers 404 unless DEBUG is on)."""

from django.urls import path

from . import views

app_name = "notify_dev"
urlpatterns = [
    path("outbox", views.dev_outbox, name="outbox"),
]
