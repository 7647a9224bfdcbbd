"""The staff page of a designated institution: /staff/settlement/institutions/<pk>/ (namespace "casework")."""

from django.urls import path

from . import views

urlpatterns = [path("settlement/institutions/<int:pk>/", views.institution, name="settlement_institution")]
