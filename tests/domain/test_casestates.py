"""The case state machine: every stage and side way, and who may take each step."""

import pytest

from sscard.domain import casestates
from sscard.domain.casestates import Role, State, TransitionError, can_transition, check_transition


def test_main_road_with_the_roles_that_walk_it():
    road = [
        (State.SUBMITTED, State.UNDER_REVIEW, Role.REVIEWER),
        (State.UNDER_REVIEW, State.BANK_PREOPENING, Role.REVIEWER),
        (State.BANK_PREOPENING, State.IN_PRODUCTION, Role.SYSTEM),
        (State.IN_PRODUCTION, State.READY_FOR_PICKUP, Role.PRODUCTION),
        (State.READY_FOR_PICKUP, State.COLLECTED, Role.CLERK),
    ]
    for src, dst, role in road:
        assert can_transition(src, dst, role), (src, dst, role)
    assert can_transition(State.IN_PRODUCTION, State.POSTED, Role.PRODUCTION)
    assert can_transition(State.POSTED, State.COLLECTED, Role.SYSTEM)


def test_citizen_cannot_move_the_case_forward():
    for (src, dst), _roles in casestates.TRANSITIONS.items():
        if dst not in (State.WITHDRAWN, State.RESUBMITTED):
            assert not can_transition(src, dst, Role.CITIZEN), (src, dst)


@pytest.mark.parametrize("state", [State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED, State.RESUBMITTED,
                                   State.BANK_PREOPENING, State.BANK_FAILED])
def test_citizen_may_withdraw_before_production(state):
    assert casestates.citizen_can_withdraw(state)


@pytest.mark.parametrize("state", [State.IN_PRODUCTION, State.READY_FOR_PICKUP, State.POSTED, State.COLLECTED,
                                   State.REJECTED, State.WITHDRAWN])
def test_citizen_may_not_withdraw_once_production_started_or_closed(state):
    assert not casestates.citizen_can_withdraw(state)
    with pytest.raises(TransitionError):
        check_transition(state, State.WITHDRAWN, Role.CITIZEN)


def test_return_for_correction_and_resubmit():
    assert can_transition(State.UNDER_REVIEW, State.RETURNED, Role.REVIEWER)
    assert can_transition(State.RETURNED, State.RESUBMITTED, Role.CITIZEN)
    assert not can_transition(State.RETURNED, State.RESUBMITTED, Role.REVIEWER)
    assert can_transition(State.RESUBMITTED, State.UNDER_REVIEW, Role.REVIEWER)
    assert can_transition(State.BANK_PREOPENING, State.BANK_FAILED, Role.SYSTEM)
    assert can_transition(State.BANK_FAILED, State.RESUBMITTED, Role.CITIZEN)


def test_terminal_states_have_no_way_out():
    for state in casestates.TERMINAL:
        assert casestates.targets(state) == []


def test_every_state_is_reachable_from_submitted():
    seen, todo = {State.SUBMITTED}, [State.SUBMITTED]
    while todo:
        for dst in casestates.targets(todo.pop()):
            if dst not in seen:
                seen.add(dst)
                todo.append(dst)
    assert seen == set(State)


def test_errors_distinguish_impossible_steps_from_wrong_roles():
    with pytest.raises(TransitionError) as impossible:
        check_transition(State.SUBMITTED, State.COLLECTED, Role.SUPERVISOR)
    assert impossible.value.code == "not_allowed"
    with pytest.raises(TransitionError) as wrong_role:
        check_transition(State.UNDER_REVIEW, State.RETURNED, Role.CITIZEN)
    assert wrong_role.value.code == "role"
    with pytest.raises(TransitionError):
        check_transition("nonsense", State.SUBMITTED, Role.SYSTEM)
    assert not can_transition(State.SUBMITTED, State.UNDER_REVIEW, "janitor")


def test_default_stages_cover_every_state_once():
    assert sorted(s.state for s in casestates.DEFAULT_STAGES) == sorted(State)
    assert casestates.ACTIVE == frozenset(State) - casestates.TERMINAL
