from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sscard.web.urls")),
    path("accounts/", include("sscard.accounts.urls")),
    path("card/", include("sscard.applications.urls")),
    path("messages/", include("sscard.notify.urls")),
    path("staff/", include("sscard.staff_urls")),
    path("cards/", include("sscard.cards.urls")),
    path("dev/", include("sscard.notify.dev_urls")),
    path("django-admin/", admin.site.urls),
    path("api/", include("sscard.api.urls")),
    path("", include("sscard.ops.urls")),
]
