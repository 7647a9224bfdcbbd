from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("prefs/elder-mode", views.toggle_elder_mode, name="elder_mode"),
    path("prefs/language", views.set_language, name="set_language"),
    path("terms", views.terms, name="terms"),
    path("privacy", views.privacy, name="privacy"),
]
