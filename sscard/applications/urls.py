from django.urls import path

from . import payment_views, views, views_applications

app_name = "applications"
urlpatterns = [
    path("", views.service, name="service"),
    path("apply", views.apply, name="apply"),
    path("apply/restart", views.apply_restart, name="apply_restart"),
    path("apply/photo.jpg", views.draft_photo, name="draft_photo"),
    path("apply/<slug:step>", views.apply_step, name="apply_step"),
    path("progress", views_applications.progress, name="progress"),
    path("mine", views_applications.mine, name="mine"),
    path("applications/<str:code>", views_applications.detail, name="detail"),
    path("applications/<str:code>/submitted", views_applications.done, name="done"),
    path("applications/<str:code>/receipt.pdf", views_applications.receipt_pdf, name="receipt"),
    path("applications/<str:code>/photo.jpg", views_applications.photo, name="photo"),
    path("applications/<str:code>/withdraw", views_applications.withdraw, name="withdraw"),
    path("applications/<str:code>/correct", views_applications.correct, name="correct"),
    path("applications/<str:code>/pay", payment_views.pay, name="pay"),
    path("applications/<str:code>/paid", payment_views.payment_return, name="payment_return"),
    path("payments/<slug:gateway>/notify", payment_views.notify, name="payment_notify"),
]
