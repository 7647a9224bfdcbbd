"""The citizen's pages of the records: "My social insurance" (their enrolments, accounts, contributions
by month and benefits) and the employer workspace
(choose the employer to act for, its file, its members and employees; register an employer). Thin: parse the
form, call one service or selector, render; a refusal goes next to the field it is about."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from sscard.accounts.decorators import citizen_required
from sscard.core.pagecache import render_cached

from . import forms, person_selectors, selectors, services
from .models import EmployerMembership
from .retirement.selectors import retirement_status

SESSION_KEY = "records_employer"


def _apply(form, error: services.RecordsError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.translated())


@citizen_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """"My social insurance": rendered once per version of everything it shows of the person
    (`person_selectors.records_version`) and the day (retirement is "since" a day), and served whole from the
    cache until a row changes (`core.pagecache`)."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    id_number = getattr(request.user, "id_number", "") or ""
    today = timezone.localdate()

    def context() -> dict:
        return {"enrolments": selectors.enrolments_of_person(request.user),
                "records": person_selectors.person_records(id_number, year=year),
                "retirement": retirement_status(id_number, today)}

    version = f"{person_selectors.records_version(id_number) if id_number else ''}|{today}"
    return render_cached(request, "records/mine.html", version=version, context=context)


def _current_id(request, employer_ids: list[int]) -> int | None:
    """The employer the user acts for on this request: the one chosen in the session if the user still acts for
    it, else the only one, else none (the workspace asks)."""
    chosen = request.session.get(SESSION_KEY)
    if chosen in employer_ids:
        return chosen
    return employer_ids[0] if len(employer_ids) == 1 else None


def _current(request, memberships: list[EmployerMembership]) -> EmployerMembership | None:
    chosen = _current_id(request, [membership.employer_id for membership in memberships])
    return next((membership for membership in memberships if membership.employer_id == chosen), None)


@citizen_required
@never_cache
def workspace(request: HttpRequest) -> HttpResponse:
    memberships = selectors.memberships_of(request.user)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "choose":
            chosen = next((m for m in memberships if str(m.employer_id) == request.POST.get("employer")), None)
            if chosen is not None:
                request.session[SESSION_KEY] = chosen.employer_id
            return redirect("records:workspace")
        current = _current(request, memberships)
        if current is None:
            return redirect("records:workspace")
        done, bound = _act(request, current, action)
        if done:
            return redirect("records:workspace")
    current = _current(request, memberships)
    context = {"memberships": memberships, "current": current,
               "registrations": selectors.registrations_of(request.user)}
    if current is not None:
        employer = current.employer
        is_representative = current.role == EmployerMembership.Role.REPRESENTATIVE
        context.update(
            employer=employer, is_representative=is_representative,
            members=selectors.members_of(employer), employees=selectors.employees_of(employer),
            enrol_form=bound.get("enrol") or forms.EnrolForm(prefix="enrol"),
            grant_form=bound.get("grant") or forms.GrantAgentForm(prefix="grant"),
            stop_form=bound.get("stop") or forms.StopForm(prefix="stop"),
            stop_target=bound.get("stop_target"),
        )
    return render(request, "records/workspace.html", context)


def _act(request, current: EmployerMembership, action: str) -> tuple[bool, dict]:
    """One action on the chosen employer: (done?, the bound form with its errors when refused)."""
    employer, user = current.employer, request.user
    if action == "enrol":
        form = forms.EnrolForm(request.POST, prefix="enrol")
        if form.is_valid():
            try:
                services.enrol(user=user, employer=employer, id_number=form.cleaned_data["id_number"],
                               name=form.cleaned_data["name"], start_month=form.cleaned_data["start_month"],
                               types=form.cleaned_data["types"], request=request)
            except services.RecordsError as error:
                _apply(form, error)
            else:
                messages.success(request, _("The employee is enrolled."))
                return True, {}
        return False, {"enrol": form}
    if action == "stop":
        form = forms.StopForm(request.POST, prefix="stop")
        target = employer.enrolments.filter(pk=request.POST.get("enrolment") or 0).first()
        if target is None:
            messages.error(request, _(services.MSG_NOT_ENROLLED))
            return True, {}
        if form.is_valid():
            try:
                services.stop_enrolment(user=user, employer=employer, enrolment=target,
                                        end_month=form.cleaned_data["end_month"], request=request)
            except services.RecordsError as error:
                _apply(form, error)
            else:
                messages.success(request, _("The enrolment is stopped."))
                return True, {}
        return False, {"stop": form, "stop_target": target.pk}
    if action == "grant":
        form = forms.GrantAgentForm(request.POST, prefix="grant")
        if form.is_valid():
            try:
                services.grant_agent(user=user, employer=employer, id_number=form.cleaned_data["id_number"],
                                     name=form.cleaned_data["name"], request=request)
            except services.RecordsError as error:
                _apply(form, error)
            else:
                messages.success(request, _("The agent is authorised."))
                return True, {}
        return False, {"grant": form}
    if action == "revoke":
        target = employer.memberships.filter(pk=request.POST.get("membership") or 0).first()
        try:
            if target is None:
                raise services.RecordsError("not_agent", services.MSG_NOT_AGENT)
            services.revoke_agent(user=user, employer=employer, membership=target, request=request)
        except services.RecordsError as error:
            messages.error(request, error.translated())
        else:
            messages.success(request, _("The authorisation is revoked."))
        return True, {}
    return True, {}


@citizen_required
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    form = forms.RegisterEmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_employer(user=request.user, request=request, **form.cleaned_data)
        except services.RecordsError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The registration is sent for review. You will be told the decision by "
                                        "message and SMS."))
            return redirect("records:workspace")
    return render(request, "records/register.html", {"form": form})
