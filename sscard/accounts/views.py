"""Account pages: thin — parse the form, call one service, render."""


from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sscard.domain.masking import mask_phone

from . import forms, selectors, services
from .decorators import citizen_required, staff_required
from .errors import FieldErrors
from .models import SmsPurpose

SECRET_FIELDS = {"password", "password1", "password2", "sms_code", "otp_token", "csrfmiddlewaretoken"}


def _apply(form, error: FieldErrors) -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(None if field == "__all__" or field not in form.fields else field, message)


def _keep(request: HttpRequest) -> dict:
    """What the person typed, minus secrets, to refill the form after "Send code"."""
    return {k: v for k, v in request.POST.items() if k not in SECRET_FIELDS}


def _send_code(request: HttpRequest, form_class, purpose: str):
    """Handle a "Send code" press inside a form. Returns the form to show again."""
    sender = forms.SendCodeForm(request.POST)
    form = form_class(initial=_keep(request))
    form.full_clean()  # an unbound form: this only prepares it to carry the errors added below
    form.cleaned_data = {}
    if not sender.is_valid():
        for message in sender.errors.get("phone", []):
            form.add_error("phone", message)
        return form
    try:
        services.request_sms_code(phone=sender.cleaned_data["phone"], purpose=purpose, request=request)
    except FieldErrors as error:
        _apply(form, error)
        return form
    messages.success(request, _("A verification code was sent to %(phone)s. It is valid for 5 minutes.")
                     % {"phone": mask_phone(sender.cleaned_data["phone"])})
    return form


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _in_account_language(request: HttpRequest, response: HttpResponse, user) -> HttpResponse:
    """After log-in the site speaks the account's preferred language (the language cookie follows it)."""
    code = services.account_language(user)
    if code:
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:space")
    form = forms.RegistrationForm()
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            form = _send_code(request, forms.RegistrationForm, SmsPurpose.REGISTER)
        else:
            form = forms.RegistrationForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    user = services.register_citizen(
                        real_name=data["real_name"], document_type=data["document_type"],
                        id_number=data["id_number"], phone=data["phone"], sms_code=data["sms_code"],
                        password=data["password1"], accepted_terms=data["accept_terms"], request=request)
                except FieldErrors as error:
                    _apply(form, error)
                else:
                    services.start_session(request=request, user=user, method="registration")
                    messages.success(request, _("Your account is registered. Welcome!"))
                    return redirect("accounts:space")
            elif not request.POST.get("accept_terms"):
                form.add_error("accept_terms", _("You must accept the terms of service and privacy notice."))
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(_next_url(request, reverse("accounts:space")))
    form = forms.PasswordLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.log_in_with_password(request=request, identifier=form.cleaned_data["identifier"],
                                                 password=form.cleaned_data["password"])
        except FieldErrors as error:
            _apply(form, error)
        else:
            if user is not None:
                return _in_account_language(request, redirect(_next_url(request, reverse("accounts:space"))), user)
    expired = request.session.pop("session_expired", False)
    return render(request, "accounts/login.html", {
        "form": form, "sms_form": forms.SmsLoginForm(), "next": _next_url(request, ""), "expired": expired})


@require_http_methods(["GET", "POST"])
def login_sms(request: HttpRequest) -> HttpResponse:
    form = forms.SmsLoginForm()
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            form = _send_code(request, forms.SmsLoginForm, SmsPurpose.LOGIN)
        else:
            form = forms.SmsLoginForm(request.POST)
            if form.is_valid():
                try:
                    user = services.log_in_with_sms(request=request, phone=form.cleaned_data["phone"],
                                                    sms_code=form.cleaned_data["sms_code"])
                except FieldErrors as error:
                    _apply(form, error)
                else:
                    return _in_account_language(request, redirect(_next_url(request, reverse("accounts:space"))), user)
    return render(request, "accounts/login.html", {
        "form": forms.PasswordLoginForm(), "sms_form": form, "next": _next_url(request, ""), "sms_active": True})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.log_out(request=request)
    messages.info(request, _("You have logged out."))
    return redirect("web:index")


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetForm()
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            form = _send_code(request, forms.PasswordResetForm, SmsPurpose.RESET)
        else:
            form = forms.PasswordResetForm(request.POST)
            if form.is_valid():
                try:
                    services.reset_password(phone=form.cleaned_data["phone"], sms_code=form.cleaned_data["sms_code"],
                                            password=form.cleaned_data["password1"], request=request)
                except FieldErrors as error:
                    _apply(form, error)
                else:
                    messages.success(request, _("Your password has been reset. Log in with the new password."))
                    return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


@citizen_required
def space(request: HttpRequest) -> HttpResponse:
    """The personal space (个人空间), where a citizen lands after logging in: "My homepage" as its main entry,
    and the citizen's profile, messages, applications and card."""
    return render(request, "accounts/space.html", selectors.personal_space(request.user))


@citizen_required
def home(request: HttpRequest) -> HttpResponse:
    """ "My homepage" (我的主页), reached from the personal space: the service items."""
    return render(request, "accounts/home.html", selectors.homepage(request.user))


@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"profile_user": request.user})


@citizen_required
@require_http_methods(["GET", "POST"])
def change_phone(request: HttpRequest) -> HttpResponse:
    form = forms.ChangePhoneForm()
    if request.method == "POST":
        if request.POST.get("action") == "send_code":
            form = _send_code(request, forms.ChangePhoneForm, SmsPurpose.CHANGE_PHONE)
        else:
            form = forms.ChangePhoneForm(request.POST)
            if form.is_valid():
                try:
                    services.change_phone(user=request.user, new_phone=form.cleaned_data["phone"],
                                          sms_code=form.cleaned_data["sms_code"],
                                          password=form.cleaned_data["password"], request=request)
                except FieldErrors as error:
                    _apply(form, error)
                else:
                    messages.success(request, _("Your mobile number has been changed."))
                    return redirect("accounts:profile")
    return render(request, "accounts/change_phone.html", {"form": form})


@citizen_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = forms.ChangePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(user=request.user, old_password=form.cleaned_data["old_password"],
                                     password=form.cleaned_data["password1"], request=request)
        except FieldErrors as error:
            _apply(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:profile")
    return render(request, "accounts/change_password.html", {"form": form})


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    form = forms.StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.log_in_staff(request=request, username=form.cleaned_data["username"],
                                         password=form.cleaned_data["password"],
                                         otp_token=form.cleaned_data["otp_token"])
        except FieldErrors as error:
            _apply(form, error)
        else:
            if user is not None:
                return redirect(_next_url(request, "/accounts/staff/"))
    return render(request, "accounts/staff_login.html", {
        "form": form, "otp_required": settings.STAFF_OTP_REQUIRED, "next": _next_url(request, "")})


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    if request.user.has_perm("casework.use_workbench"):
        return redirect("casework:queue")  # the back office workbench (sscard.casework)
    if request.user.has_perm("records.view_records"):
        return redirect("casework:records_employers")  # a records officer's employer registry (sscard.records)
    return render(request, "accounts/staff_home.html")  # staff without a back office role yet


def lockout_response(request, original_response=None, credentials=None):
    """Shown by django-axes when an account is locked after repeated failed log-ins."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
