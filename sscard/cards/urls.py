from django.urls import path

from . import ecard_views, replacement_views, views

app_name = "cards"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:card_number>/confirm-receipt", views.confirm_receipt, name="confirm_receipt"),
    path("<str:card_number>/report-loss", views.report_loss, name="report_loss"),
    path("<str:card_number>/withdraw-loss", views.withdraw_loss, name="withdraw_loss"),
    path("<str:card_number>/enable", views.enable, name="enable"),
    path("<str:card_number>/pin/change", views.change_pin, name="change_pin"),
    path("<str:card_number>/pin/reset", views.reset_pin, name="reset_pin"),
    path("<str:card_number>/ecard", ecard_views.my_ecard, name="ecard"),
    # Last: `<kind>` is replacement or renewal (any other word is a 404 in the view).
    path("<str:card_number>/<slug:kind>", replacement_views.replace, name="replace"),
]
