"""The Django admin site: the same second factor as the staff log-in, and only one way to log in.

`sscard.web.apps.AdminConfig` (named in settings.INSTALLED_APPS) makes this the default site, so every
`@admin.register` in the apps (and in django-otp, django-axes, django.contrib.auth) lands here and
`/django-admin/` has no door of its own.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    """django-otp's `OTPAdminSite`, switched like the staff log-in by `STAFF_OTP_REQUIRED`.

    - Access needs an active staff account **verified by a TOTP device** in this session whenever the staff
      log-in asks for one (production); with the switch off (debug, `make run`) the password is enough, as on
      the staff log-in page.
    - The admin has no log-in form of its own: `/django-admin/login/` sends the visitor to the staff log-in
      (`accounts:staff_login`), which asks for the TOTP code, counts failures (django-axes) and audits every
      attempt, then comes back. A password posted to the admin's log-in URL signs nobody in.
    """

    site_header = _("Hubei Government Services Network")
    site_title = _("Hubei Government Services Network")

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        if settings.STAFF_OTP_REQUIRED:
            return super().has_permission(request)  # active staff *and* `request.user.is_verified()`
        return AdminSite.has_permission(self, request)

    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(index)
        target = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            target = index
        return HttpResponseRedirect(f"{reverse('accounts:staff_login')}?{urlencode({'next': target})}")

