from django.conf import settings
from django.http import HttpRequest

from .views import ELDER_COOKIE


def portal(request: HttpRequest) -> dict:
    cookie = request.COOKIES.get(ELDER_COOKIE)
    if cookie is not None:
        elder = cookie == "1"
    else:
        user = getattr(request, "user", None)
        elder = bool(user and user.is_authenticated and user.elder_mode)
    return {"portal_name": settings.PORTAL_NAME, "elder_mode": elder, "debug": settings.DEBUG}
