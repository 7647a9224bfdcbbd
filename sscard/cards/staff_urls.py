"""The staff workbench's delivery pages: /staff/post/ and /staff/outlet/... (in the namespace "casework" of
the staff workbench, see `sscard/staff_urls.py`)."""

from django.urls import path

from . import ecard_views, staff_views

urlpatterns = [
    path("post/", staff_views.post, name="post"),
    path("post/labels.pdf", staff_views.post_labels, name="post_labels"),
    path("post/list.csv", staff_views.post_list, name="post_list"),
    path("outlet/", staff_views.outlet, name="outlet"),
    path("outlet/<str:number>/<slug:step>", staff_views.outlet_batch, name="outlet_batch"),
    path("ecard/verify", ecard_views.verify_at_counter, name="ecard_verify"),
]
