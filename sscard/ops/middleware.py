"""Request id, latency histogram and one structured access-log line per request."""

import logging
import re
import time
import uuid

from django.conf import settings

from . import metrics
from .logs import request_id_var

access_log = logging.getLogger("sscard.request")

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class ObservabilityMiddleware:
    """First in MIDDLEWARE, so the measured time covers the whole stack (static files included).

    The request id comes from a trusted proxy's `X-Request-ID` when it is well-formed, otherwise it is
    generated; it is returned in the response header of the same name and put on every log line.
    The access line carries the path without the query string: queries may hold personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"
        self.access_log_enabled = getattr(settings, "ACCESS_LOG", True)

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - start
        view = self._view_name(request)
        metrics.observe_request(view=view, method=request.method, status=response.status_code, seconds=elapsed)
        response.headers.setdefault("X-Request-ID", request_id)
        if self.access_log_enabled:
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            access_log.log(level, "%s %s %s", request.method, request.path, response.status_code, extra={
                "request_id": request_id, "method": request.method, "path": request.path, "view": view,
                "status": response.status_code, "duration_ms": round(elapsed * 1000, 2)})
        return response

    def _view_name(self, request) -> str:
        match = getattr(request, "resolver_match", None)
        if match is not None:
            return match.view_name or match._func_path
        if request.path.startswith(self.static_prefix):
            return "static"
        return "unmatched"  # 404s and redirects before routing: one label, not one per path
