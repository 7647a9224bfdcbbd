"""What the case page offers each member of staff: `selectors.available_actions` (the state machine's moves
that the member's roles may make, narrowed by permissions and the case's conditions). Expected sets written
by hand from the role table (casework/roles.py) and the stage rules, not computed."""

import pytest
from django.contrib.auth.models import Permission

from sscard.casework import selectors, services
from sscard.domain.casestates import State

from .conftest import give_card, new_application, new_staff, receive


def offered(staff, application):
    application.refresh_from_db()
    return selectors.available_actions(staff, application, casefile=selectors.casefile_of(application),
                                       pending=selectors.pending_rejection(application))


# (role, state, delivery, set-up, expected actions)
TABLE = [
    ("reviewer", State.SUBMITTED, "pickup", None, {"claim", "suspend", "extend"}),
    ("reviewer", State.UNDER_REVIEW, "pickup", None, {"claim", "approve", "return", "reject", "suspend", "extend"}),
    ("reviewer", State.BANK_FAILED, "pickup", None, {"claim", "reject", "suspend", "extend"}),
    ("reviewer", State.IN_PRODUCTION, "pickup", None, {"claim", "suspend", "extend"}),
    ("supervisor", State.UNDER_REVIEW, "pickup", None,
     {"claim", "assign", "approve", "return", "reject", "suspend", "extend"}),
    ("supervisor", State.IN_PRODUCTION, "pickup", None, {"claim", "assign", "suspend", "extend", "send_back"}),
    ("production", State.IN_PRODUCTION, "post", None, {"claim"}),
    ("production", State.IN_PRODUCTION, "post", "card", {"claim", "tracking"}),
    ("production", State.IN_PRODUCTION, "pickup", "card", {"claim"}),
    ("clerk", State.UNDER_REVIEW, "pickup", None, set()),
    ("clerk", State.IN_PRODUCTION, "pickup", "card", set()),
    ("clerk", State.IN_PRODUCTION, "pickup", "received", {"ready"}),
    ("clerk", State.READY_FOR_PICKUP, "pickup", None, {"hand_over"}),
    ("clerk", State.POSTED, "post", None, set()),
    ("auditor", State.UNDER_REVIEW, "pickup", None, set()),
]


@pytest.mark.parametrize(("role", "state", "delivery", "setup", "expected"), TABLE,
                         ids=[f"{r}-{s}-{d}-{x}" for r, s, d, x, _e in TABLE])
def test_the_case_page_offers_each_role_what_it_may_do_at_each_stage(wuchang_clerk_areas, role, state,
                                                                        delivery, setup, expected):
    application = new_application(state=state, delivery=delivery)
    if setup in ("card", "received"):
        give_card(application)
    if setup == "received":
        receive(application)
    staff = new_staff([role], areas=wuchang_clerk_areas[role])
    assert offered(staff, application) == expected


@pytest.fixture
def wuchang_clerk_areas():
    from .conftest import wuchang

    return {"reviewer": ["district:420106"], "supervisor": ["district:420106"], "production": ["district:420106"],
            "clerk": [f"outlet:{wuchang().pk}"], "auditor": []}


def test_a_case_held_by_the_reviewer_is_not_offered_to_them_to_claim_again(reviewer):
    application = new_application()
    services.claim(staff=reviewer, application=application)  # a new case claimed goes under review at once
    assert offered(reviewer, application) == {"approve", "return", "reject", "suspend", "extend"}


def test_a_pending_rejection_waits_for_another_supervisor(reviewer, supervisor):
    application = new_application(state=State.UNDER_REVIEW)
    services.claim(staff=reviewer, application=application)
    services.propose_rejection(staff=reviewer, application=application, reason_code="false_information", note="x")
    assert offered(reviewer, application) == {"suspend", "extend"}
    assert offered(supervisor, application) == {"claim", "assign", "suspend", "extend", "decide"}


def test_a_suspended_case_offers_resumption_and_no_decision(reviewer):
    application = new_application(state=State.UNDER_REVIEW)
    services.suspend(staff=reviewer, application=application, reason="Waiting for the police")
    assert offered(reviewer, application) == {"claim", "resume", "extend"}


def test_a_permission_without_a_back_office_role_is_offered_no_move_the_state_machine_refuses():
    """The state machine has the last word: an account given `review_case` directly, with no role that may
    make the move, is not offered approve, return or reject (the service would refuse them)."""
    application = new_application(state=State.UNDER_REVIEW)
    staff = new_staff([], areas=["district:420106"])
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["use_workbench", "review_case"]))
    staff = type(staff).objects.get(pk=staff.pk)
    assert offered(staff, application) == set()
