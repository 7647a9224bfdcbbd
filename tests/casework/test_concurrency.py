"""Two staff acting on one case at once: one wins, the other is told what happened."""

import threading

import pytest
from django.db import close_old_connections
from django.urls import reverse

from sscard.casework import services
from sscard.domain.casestates import State

from .conftest import new_application, new_staff, staff_client

STALE = "This case was changed by someone else a moment ago: it is now %s. Reload and try again."


@pytest.mark.django_db
def test_a_decision_on_a_case_a_colleague_just_changed_is_refused_with_a_clear_message():
    application = new_application(state=State.UNDER_REVIEW)
    first, second = new_staff(["supervisor"]), new_staff(["supervisor"])
    c1, c2 = staff_client(first), staff_client(second)
    url = reverse("casework:case", args=[application.office_code])
    # both open the case page, seeing it under review
    assert c1.get(url).status_code == 200 and c2.get(url).status_code == 200
    ok = c1.post(reverse("casework:case_action", args=[application.office_code, "approve"]),
                 {"approve-expected_state": "under_review", "approve-note": ""}, follow=True)
    assert "Approved" in ok.content.decode()
    late = c2.post(reverse("casework:case_action", args=[application.office_code, "return"]),
                   {"return-expected_state": "under_review", "return-r_other": "on", "return-n_other": "x"},
                   follow=True)
    assert STALE % "Bank account pre-opening" in late.content.decode()
    application.refresh_from_db()
    assert application.state == State.BANK_PREOPENING
    assert not application.corrections.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits; seeded data restored after
def test_two_staff_acting_at_the_same_moment_one_wins(django_capture_on_commit_callbacks):
    application = new_application(state=State.UNDER_REVIEW)
    staff = [new_staff(["supervisor"]), new_staff(["supervisor"])]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(member, decide):
        try:
            barrier.wait()
            decide(member)
            outcomes.append("won")
        except services.CaseworkError as error:
            outcomes.append(error.code)
        finally:
            close_old_connections()

    decisions = [
        lambda m: services.approve(staff=m, application=application, expected_state=State.UNDER_REVIEW),
        lambda m: services.return_for_correction(staff=m, application=application, expected_state=State.UNDER_REVIEW,
                                                 reasons=[("other", "Please call us")]),
    ]
    threads = [threading.Thread(target=act, args=(m, d)) for m, d in zip(staff, decisions, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["stale", "won"]
    application.refresh_from_db()
    assert application.state in (State.BANK_PREOPENING, State.RETURNED)
    assert application.changes.filter(to_state__in=[State.BANK_PREOPENING, State.RETURNED]).count() == 1
