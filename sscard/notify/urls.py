from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("mark-all-read/", views.mark_all_read, name="mark_all_read"),
]
