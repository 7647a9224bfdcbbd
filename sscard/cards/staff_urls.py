"""The staff workbench's delivery pages: /staff/post/ and /staff/outlet/... (in the namespace "casework" of
the staff workbench, see `sscard/staff_urls.py`)."""

from django.urls import path

from . import replacement_views, staff_views

urlpatterns = [
    path("post/", staff_views.post, name="post"),
    path("post/labels.pdf", staff_views.post_labels, name="post_labels"),
    path("post/list.csv", staff_views.post_list, name="post_list"),
    path("outlet/", staff_views.outlet, name="outlet"),
    path("outlet/fees/", replacement_views.counter_payments, name="counter_payments"),
    path("outlet/fees/<str:code>/paid", replacement_views.record_counter_payment, name="record_counter_payment"),
    path("outlet/<str:number>/<slug:step>", staff_views.outlet_batch, name="outlet_batch"),
]
