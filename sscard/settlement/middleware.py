"""The reconciliation detail (3202) carries a day's every settlement: 100,000 lines are ~10 MB of JSON, above
Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) that every other request keeps. For that one path the body is read
here, up to SETTLEMENT_DETAIL_MAX_BYTES, before anything else reads it (the signature check hashes it); a larger
body is refused with 413 in the API's error shape, unread."""

from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _

from sscard.apierrors import json_error

DETAIL_PATH = "/api/settlement/v1/3202"


class SettlementDetailBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == DETAIL_PATH and request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.SETTLEMENT_DETAIL_MAX_BYTES:
                return json_error(413, "too_large",
                                  _("The request body is larger than %(size)d bytes.")
                                  % {"size": settings.SETTLEMENT_DETAIL_MAX_BYTES})
            # HttpRequest.body returns _body as it is when set: no DATA_UPLOAD_MAX_MEMORY_SIZE check for this path.
            request._body = request.read(length) if length else b""
            request._stream = BytesIO(request._body)
        return self.get_response(request)
