"""Who may open a page: citizens and staff each have their own side of the portal."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse


def citizen_required(view):
    """A signed-in citizen; staff are sent to their own workbench."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            return redirect("accounts:staff_home")
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    """A signed-in member of staff, with a verified second factor where production requires it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or not user.is_staff:
            return redirect(f"{reverse('accounts:staff_login')}?next={request.path}")
        if settings.STAFF_OTP_REQUIRED and not user.is_verified():
            return redirect(f"{reverse('accounts:staff_login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper
