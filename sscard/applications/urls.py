from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.service, name="service"),
    path("apply", views.apply, name="apply"),
    path("apply/restart", views.apply_restart, name="apply_restart"),
    path("apply/photo.jpg", views.draft_photo, name="draft_photo"),
    path("apply/<slug:step>", views.apply_step, name="apply_step"),
    path("progress", views.progress, name="progress"),
    path("mine", views.mine, name="mine"),
    path("applications/<str:code>", views.detail, name="detail"),
    path("applications/<str:code>/submitted", views.done, name="done"),
    path("applications/<str:code>/receipt.pdf", views.receipt_pdf, name="receipt"),
    path("applications/<str:code>/photo.jpg", views.photo, name="photo"),
    path("applications/<str:code>/withdraw", views.withdraw, name="withdraw"),
    path("applications/<str:code>/correct", views.correct, name="correct"),
]
