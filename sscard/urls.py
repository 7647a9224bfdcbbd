from django.contrib import admin
from django.urls import include, path

from sscard.cards import ecard_views, hotlist_views

urlpatterns = [
    # First: the APIs are the busiest paths (the settlement API, the public look-ups), and no other prefix holds
    # "api/", so they are resolved without trying the pages' patterns first.
    path("api/", include("sscard.api.urls")),
    path("", include("sscard.web.urls")),
    path("accounts/", include("sscard.accounts.urls")),
    path("card/", include("sscard.applications.urls")),
    path("messages/", include("sscard.notify.urls")),
    path("staff/", include("sscard.staff_urls")),
    path("cards/", include("sscard.cards.urls")),
    path("records/", include("sscard.records.urls")),
    path("settlement/", include("sscard.settlement.urls")),
    path(".well-known/sscard-ecard-keys.json", ecard_views.public_keys, name="ecard_keys"),
    path(".well-known/sscard-hotlist-keys.json", hotlist_views.public_keys, name="hotlist_keys"),
    path("dev/", include("sscard.notify.dev_urls")),
    path("django-admin/", admin.site.urls),
    path("", include("sscard.ops.urls")),
]
