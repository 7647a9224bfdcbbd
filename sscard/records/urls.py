"""The citizen's records pages: /records/mine/ and the employer workspace /records/employer/."""

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("employer/", views.workspace, name="workspace"),
    path("employer/register/", views.register, name="register"),
]
