"""The back office's own pages: the queue, a case, its actions, the dashboard, ID number corrections; and
its production area. The project assembles the whole staff workbench (these and the delivery pages of
`sscard.cards`) under /staff/ in `sscard/staff_urls.py`."""

from django.urls import path

from . import identity_views, views
from .production import urls as production_urls

urlpatterns = [
    path("", views.queue, name="queue"),
    path("cases/<str:code>", views.case_detail, name="case"),
    path("cases/<str:code>/photo.jpg", views.case_photo, name="case_photo"),
    path("cases/<str:code>/<slug:action>", views.case_action, name="case_action"),
    *production_urls.urlpatterns,
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:what>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("id-numbers/", identity_views.corrections, name="id_number_corrections"),
    path("id-numbers/propose", identity_views.propose, name="id_number_propose"),
    path("id-numbers/<int:pk>", identity_views.detail, name="id_number_correction"),
    path("id-numbers/<int:pk>/decide", identity_views.decide, name="id_number_decide"),
]
