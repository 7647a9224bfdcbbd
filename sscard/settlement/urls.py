"""The person's settlement pages: /settlement/mine/."""

from django.urls import path

from . import views

app_name = "settlement"
urlpatterns = [path("mine/", views.mine, name="mine")]
