"""The staff workbench's card pages: /staff/post/, /staff/outlet/... (delivery) and /staff/counter/... (the
counter card page and the cancellations), in the namespace "casework" of the staff workbench, see
`sscard/staff_urls.py`."""

from django.urls import path

from . import bank_staff_views, counter_views, ecard_views, pin_views, replacement_views, staff_views

urlpatterns = [
    path("post/", staff_views.post, name="post"),
    path("post/labels.pdf", staff_views.post_labels, name="post_labels"),
    path("post/list.csv", staff_views.post_list, name="post_list"),
    path("outlet/", staff_views.outlet, name="outlet"),
    path("outlet/fees/", replacement_views.counter_payments, name="counter_payments"),
    path("outlet/fees/<str:code>/paid", replacement_views.record_counter_payment, name="record_counter_payment"),
    path("outlet/<str:number>/<slug:step>", staff_views.outlet_batch, name="outlet_batch"),
    path("counter/", counter_views.search, name="counter"),
    path("counter/card/<str:number>", counter_views.card, name="counter_card"),
    path("counter/card/<str:number>/<slug:action>", counter_views.card_action, name="counter_card_action"),
    path("counter/cancellations/", counter_views.cancellations, name="cancellations"),
    path("counter/cancellations/<int:pk>/decide", counter_views.cancellation_decide, name="cancellation_decide"),
    path("pin/", pin_views.counter, name="pin_counter"),
    path("pin/<str:card_number>/<slug:step>", pin_views.counter_action, name="pin_counter_action"),
    path("bank-events/", bank_staff_views.bank_events, name="bank_events"),
    path("bank-events/outgoing.csv", bank_staff_views.bank_events_file, name="bank_events_file"),
    path("bank-events/<slug:bank>/differences.csv", bank_staff_views.bank_differences_csv,
         name="bank_differences_csv"),
    path("bank-events/import", bank_staff_views.bank_events_import, name="bank_events_import"),
    path("ecard/verify", ecard_views.verify_at_counter, name="ecard_verify"),
]
