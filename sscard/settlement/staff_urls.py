"""The staff page of a designated institution: /staff/settlement/institutions/<pk>/ (namespace "casework"), and its
key actions (POST)."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("settlement/institutions/<int:pk>/", views.institution, name="settlement_institution"),
    path("settlement/institutions/<int:pk>/keys/issue", views.issue_key, name="settlement_key_issue"),
    re_path(r"^settlement/institutions/(?P<pk>[0-9]+)/keys/(?P<key_id>k[0-9a-f]{1,31})/revoke$", views.revoke_key,
            name="settlement_key_revoke"),
]
