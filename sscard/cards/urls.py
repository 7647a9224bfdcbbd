from django.urls import path

from . import ecard_views, views

app_name = "cards"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:card_number>/confirm-receipt", views.confirm_receipt, name="confirm_receipt"),
    path("<str:card_number>/report-loss", views.report_loss, name="report_loss"),
    path("<str:card_number>/withdraw-loss", views.withdraw_loss, name="withdraw_loss"),
    path("<str:card_number>/ecard", ecard_views.my_ecard, name="ecard"),
]
