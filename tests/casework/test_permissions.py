"""Every back office action, allowed and refused, per role and per area (table-driven)."""

import pytest

from sscard.applications.models import PartnerBank
from sscard.casework import services
from sscard.casework.models import Manufacturer, RejectionProposal
from sscard.casework.roles import MACHINE_ROLE, ROLE_LABELS
from sscard.domain import casestates
from sscard.domain.casestates import State

from .conftest import give_card, jiangan, new_application, new_staff, receive, wuchang

ROLES = list(ROLE_LABELS)  # reviewer, production, clerk, supervisor, auditor


def in_area(role):
    return [f"outlet:{wuchang().pk}"] if role == "clerk" else ["district:420106"]


def out_of_area(role):
    return [f"outlet:{jiangan().pk}"] if role == "clerk" else ["district:420102"]


def _proposal(application):
    proposer = new_staff(["reviewer"])
    RejectionProposal.objects.create(application=application, reason_code="duplicate", proposed_by=proposer,
                                     proposed_at=application.submitted_at)


# action -> (state of the case, delivery, extra set-up, call, roles allowed)
ACTIONS = {
    "claim": (State.SUBMITTED, "pickup", None,
              lambda s, a: services.claim(staff=s, application=a), {"reviewer", "production", "supervisor"}),
    "start_review": (State.SUBMITTED, "pickup", None,
                     lambda s, a: services.start_review(staff=s, application=a), {"reviewer", "supervisor"}),
    "approve": (State.UNDER_REVIEW, "pickup", None,
                lambda s, a: services.approve(staff=s, application=a), {"reviewer", "supervisor"}),
    "return": (State.UNDER_REVIEW, "pickup", None,
               lambda s, a: services.return_for_correction(staff=s, application=a,
                                                           reasons=[("photo_quality", "Too dark")]),
               {"reviewer", "supervisor"}),
    "propose_rejection": (State.UNDER_REVIEW, "pickup", None,
                          lambda s, a: services.propose_rejection(staff=s, application=a, reason_code="duplicate"),
                          {"reviewer", "supervisor"}),
    "confirm_rejection": (State.UNDER_REVIEW, "pickup", _proposal,
                          lambda s, a: services.decide_rejection(staff=s, application=a, confirm=True),
                          {"supervisor"}),
    "suspend": (State.UNDER_REVIEW, "pickup", None,
                lambda s, a: services.suspend(staff=s, application=a, reason="Waiting for the police"),
                {"reviewer", "supervisor"}),
    "extend": (State.UNDER_REVIEW, "pickup", None,
               lambda s, a: services.extend_deadline(staff=s, application=a, days=5, reason="Complex case"),
               {"reviewer", "supervisor"}),
    "reveal": (State.UNDER_REVIEW, "pickup", None,
               lambda s, a: services.reveal(staff=s, application=a, field_name="subject_id_number",
                                            reason="Phone call"), {"reviewer", "clerk", "supervisor"}),
    "bank_export": (State.BANK_PREOPENING, "pickup", None,
                    lambda s, a: services.export_bank_request(staff=s, bank=PartnerBank.objects.get(code="icbc")),
                    {"production", "supervisor"}),
    "create_batch": (State.IN_PRODUCTION, "pickup", None,
                     lambda s, a: services.create_batch(staff=s, manufacturer=Manufacturer.objects.get(code="default")),
                     {"production", "supervisor"}),
    "send_back_to_review": (State.IN_PRODUCTION, "pickup", None,
                            lambda s, a: services.send_back_to_review(staff=s, application=a, reason="Photo"),
                            {"supervisor"}),
    "post": (State.IN_PRODUCTION, "post", give_card,
             lambda s, a: services.record_tracking(staff=s, application=a, tracking_number="SF1234567890"),
             {"production", "supervisor"}),
    "mark_ready": (State.IN_PRODUCTION, "pickup", lambda a: (give_card(a), receive(a)),
                   lambda s, a: services.mark_ready(staff=s, application=a), {"clerk", "supervisor"}),
    "hand_over": (State.READY_FOR_PICKUP, "pickup", give_card,
                  lambda s, a: services.hand_over(staff=s, application=a, collector="holder",
                                                  id_number=a.subject_id_number), {"clerk", "supervisor"}),
}

CASES = [(action, role, area) for action in ACTIONS for role in ROLES for area in ("in", "out")]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "area"), CASES, ids=[f"{a}-{r}-{z}" for a, r, z in CASES])
def test_action_allowed_only_for_its_roles_in_their_area(action, role, area, django_capture_on_commit_callbacks):
    state, delivery, setup, call, allowed = ACTIONS[action]
    application = new_application(delivery=delivery, state=state)
    if setup:
        setup(application)
    areas = in_area(role) if area == "in" else out_of_area(role)
    staff = new_staff([role], areas=[] if role == "auditor" else areas)
    expect_ok = role in allowed and (area == "in" or role == "auditor" and False)
    with django_capture_on_commit_callbacks(execute=True):
        if expect_ok:
            call(staff, application)
        else:
            with pytest.raises(services.CaseworkError) as refused:
                call(staff, application)
            assert refused.value.code in {"permission", "area", "empty"}
            if role not in allowed:
                assert refused.value.code == "permission"
    application.refresh_from_db()
    if not expect_ok:
        assert application.state == state  # nothing moved


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "auditor"])
def test_the_state_machine_decides_each_transition_for_each_role(role):
    staff = new_staff([role])
    for src in casestates.State:
        for dst in casestates.State:
            expected = casestates.can_transition(src, dst, MACHINE_ROLE[role])
            if expected:
                assert services.machine_role(staff, src, dst) == MACHINE_ROLE[role]
            else:
                with pytest.raises(services.CaseworkError) as refused:
                    services.machine_role(staff, src, dst)
                assert refused.value.code == ("role" if (src, dst) in casestates.TRANSITIONS else "not_allowed")


@pytest.mark.django_db
def test_a_member_with_two_roles_acts_as_the_one_the_transition_allows():
    staff = new_staff(["clerk", "production"])
    assert services.machine_role(staff, State.IN_PRODUCTION, State.POSTED) == casestates.Role.PRODUCTION
    assert services.machine_role(staff, State.READY_FOR_PICKUP, State.COLLECTED) == casestates.Role.CLERK


@pytest.mark.django_db
def test_an_illegal_transition_is_refused_with_a_clear_message(supervisor, client):
    application = new_application(state=State.SUBMITTED)
    with pytest.raises(services.CaseworkError) as refused:
        services.approve(staff=supervisor, application=application)
    assert refused.value.code == "not_allowed"
    from django.utils import translation

    with translation.override("en"):
        assert refused.value.translated() == 'This is not possible while the case is at the stage "Submitted".'


@pytest.mark.django_db
def test_the_auditor_reads_every_area_and_changes_nothing(auditor):
    here = new_application(district="420106")
    there = new_application(district="420102")
    from sscard.casework.selectors import cases_visible_to

    assert set(cases_visible_to(auditor)) >= {here, there}
    for action, (_state, _delivery, _setup, call, _allowed) in ACTIONS.items():
        with pytest.raises(services.CaseworkError) as refused:
            call(auditor, here)
        assert refused.value.code == "permission", action


@pytest.mark.django_db
def test_staff_see_only_the_cases_of_their_areas():
    from sscard.casework.selectors import cases_visible_to

    wuchang_case = new_application(district="420106")
    jiangan_case = new_application(district="420102")
    city_case = new_application(district="420111", outlet=wuchang())  # lives elsewhere, collects in Wuchang
    district = new_staff(["reviewer"], areas=["district:420106"])
    city = new_staff(["supervisor"], areas=["city:420100"])
    counter = new_staff(["clerk"], areas=[f"outlet:{jiangan().pk}"])
    nowhere = new_staff(["reviewer"], areas=[])
    assert set(cases_visible_to(district)) == {wuchang_case, city_case}
    assert set(cases_visible_to(city)) == {wuchang_case, jiangan_case, city_case}
    assert set(cases_visible_to(counter)) == {jiangan_case}
    assert list(cases_visible_to(nowhere)) == []
