"""The staff workbench's delivery pages: /staff/post/ and /staff/outlet/... (in the namespace "casework" of
the staff workbench, see `sscard/staff_urls.py`)."""

from django.urls import path

from . import bank_staff_views, staff_views

urlpatterns = [
    path("post/", staff_views.post, name="post"),
    path("post/labels.pdf", staff_views.post_labels, name="post_labels"),
    path("post/list.csv", staff_views.post_list, name="post_list"),
    path("outlet/", staff_views.outlet, name="outlet"),
    path("outlet/<str:number>/<slug:step>", staff_views.outlet_batch, name="outlet_batch"),
    path("bank-events/", bank_staff_views.bank_events, name="bank_events"),
    path("bank-events/outgoing.csv", bank_staff_views.bank_events_file, name="bank_events_file"),
    path("bank-events/<slug:bank>/differences.csv", bank_staff_views.bank_differences_csv,
         name="bank_differences_csv"),
    path("bank-events/import", bank_staff_views.bank_events_import, name="bank_events_import"),
]
