from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WebConfig(AppConfig):
    default = True
    name = "sscard.web"
    label = "web"


class AdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` with `sscard.web.adminsite.StaffAdminSite` as `admin.site`: the admin asks for
    the staff second factor, and no app can register a model on a site without it."""

    default = False
    default_site = "sscard.web.adminsite.StaffAdminSite"
