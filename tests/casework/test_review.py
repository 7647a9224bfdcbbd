"""Review: claim, approve, return with coded reasons, rejection with a supervisor's confirmation, suspension
and extension of the time limit, masking and revealing personal data."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from sscard.applications.models import Application, CorrectionItem, StatusChange
from sscard.audit.models import AuditEvent
from sscard.casework import selectors, services
from sscard.casework.models import CaseAction, CaseFile, RejectionProposal
from sscard.domain.casestates import State
from sscard.notify.models import Message

from .conftest import new_application, new_staff, staff_client

pytestmark = pytest.mark.django_db


def test_claiming_a_new_case_puts_it_under_review_and_assigns_it(reviewer, application):
    services.claim(staff=reviewer, application=application)
    assert application.state == State.UNDER_REVIEW
    assert CaseFile.objects.get(application=application).assigned_to == reviewer
    change = application.changes.last()
    assert (change.to_state, change.actor, change.role) == (State.UNDER_REVIEW, reviewer, "reviewer")
    assert AuditEvent.objects.filter(event_type="casework.claimed", subject_id=application.office_code).exists()


def test_a_case_held_by_a_colleague_cannot_be_decided_by_another_reviewer(reviewer, application):
    services.claim(staff=reviewer, application=application)
    other = new_staff(["reviewer"])
    with pytest.raises(services.CaseworkError) as refused:
        services.approve(staff=other, application=application)
    assert refused.value.code == "assigned"
    supervisor = new_staff(["supervisor"])
    services.assign(staff=supervisor, application=application, assignee=other, reason="Holiday")
    services.approve(staff=other, application=application)
    assert application.state == State.BANK_PREOPENING


def test_return_lists_every_coded_reason_with_its_note_at_once(reviewer, application,
                                                                 django_capture_on_commit_callbacks):
    services.claim(staff=reviewer, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(staff=reviewer, application=application, reasons=[
            ("photo_quality", "The background is grey"), ("address_incomplete", "Add the room number")])
    assert application.state == State.RETURNED
    items = list(CorrectionItem.objects.filter(application=application).order_by("id"))
    assert [i.section for i in items] == ["photo", "address"]
    assert "The background is grey" in items[0].message and "Add the room number" in items[1].message
    assert Message.objects.filter(user=application.applicant, body__contains="Add the room number").exists()
    event = AuditEvent.objects.get(event_type="casework.returned")
    assert event.data["reasons"] == ["photo_quality", "address_incomplete"]


def test_every_return_reason_needs_a_note(reviewer, application):
    services.claim(staff=reviewer, application=application)
    with pytest.raises(services.CaseworkError) as refused:
        services.return_for_correction(staff=reviewer, application=application,
                                       reasons=[("photo_quality", "ok"), ("other", " ")])
    assert refused.value.code == "note"
    with pytest.raises(services.CaseworkError):
        services.return_for_correction(staff=reviewer, application=application, reasons=[])
    assert application.state == State.UNDER_REVIEW


def test_a_rejection_takes_effect_only_when_another_person_confirms_it(reviewer, supervisor, application,
                                                                       django_capture_on_commit_callbacks):
    services.claim(staff=reviewer, application=application)
    services.propose_rejection(staff=reviewer, application=application, reason_code="duplicate", note="Has a card")
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    with pytest.raises(services.CaseworkError) as refused:
        services.approve(staff=reviewer, application=application)
    assert refused.value.code == "pending_rejection"
    with pytest.raises(services.CaseworkError) as refused:
        services.decide_rejection(staff=reviewer, application=application, confirm=True)
    assert refused.value.code == "permission"
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_rejection(staff=supervisor, application=application, confirm=True)
    assert application.state == State.REJECTED
    assert "Has a card" in application.changes.last().note
    assert RejectionProposal.objects.get().outcome == "confirmed"


def test_a_supervisor_cannot_confirm_their_own_rejection(supervisor, application):
    services.claim(staff=supervisor, application=application)
    services.propose_rejection(staff=supervisor, application=application, reason_code="deceased")
    with pytest.raises(services.CaseworkError) as refused:
        services.decide_rejection(staff=supervisor, application=application, confirm=True)
    assert refused.value.code == "own"


def test_a_declined_rejection_leaves_the_case_under_review(reviewer, supervisor, application):
    services.claim(staff=reviewer, application=application)
    services.propose_rejection(staff=reviewer, application=application, reason_code="not_eligible")
    services.decide_rejection(staff=supervisor, application=application, confirm=False, note="Eligible after all")
    assert application.state == State.UNDER_REVIEW
    services.approve(staff=reviewer, application=application)
    assert application.state == State.BANK_PREOPENING


# Time limits on the seeded Wuhan calendar (2026: Mid-Autumn 25–27 Sep, National Day 1–7 Oct, make-up
# working Saturday 10 Oct; 2027 provisional: 1 Jan, Spring Festival 5–8 Feb). Worked out by hand:
# (time limit, suspended on, resumed on, working days the suspension lasted, time limit after resuming,
#  extension in working days, time limit after extending)
DEADLINES = [
    # lost: 22-24 Sep, 28-30 Sep, 8-9 Oct = 8; 30 Sep + 8: 8, 9, 10 (make-up Sat), 12, 13, 14, 15, 16 Oct;
    # + 5: 19-23 Oct
    (date(2026, 9, 30), date(2026, 9, 21), date(2026, 10, 9), 8, date(2026, 10, 16), 5, date(2026, 10, 23)),
    # lost: 29, 30, 31 Dec = 3; 30 Dec + 3: 31 Dec, (1 Jan holiday, weekend) 4, 5 Jan; + 5: 6, 7, 8, 11, 12 Jan
    (date(2026, 12, 30), date(2026, 12, 28), date(2026, 12, 31), 3, date(2027, 1, 5), 5, date(2027, 1, 12)),
    # lost: 2 Feb = 1; 3 Feb + 1: 4 Feb; + 5 over Spring Festival (5-8 Feb) and a weekend: 9, 10, 11, 12, 15 Feb
    (date(2027, 2, 3), date(2027, 2, 1), date(2027, 2, 2), 1, date(2027, 2, 4), 5, date(2027, 2, 15)),
]


# The time limit a submitted case starts with: 30 working days (the default processing limit) after the day
# of submission, on the seeded calendar. Counted by hand: (submitted on, time limit)
SUBMISSION_LIMITS = [
    # 22-24 Sep (3), 28-30 Sep (6), 8, 9, 10 (make-up Sat) Oct (9), 12-30 Oct (24), 2-6 Nov (29), 9 Nov (30)
    (date(2026, 9, 21), date(2026, 11, 9)),
    # 29-31 Dec (3), 4-29 Jan (23), 1-4 Feb (27), Spring Festival 5-8 Feb, 9, 10, 11 Feb (30)
    (date(2026, 12, 28), date(2027, 2, 11)),
    # submitted on the make-up Saturday 10 Oct (the day itself is not counted): 12 Oct - 20 Nov, 6 weeks
    (date(2026, 10, 10), date(2026, 11, 20)),
]


@pytest.mark.parametrize(("submitted", "limit"), SUBMISSION_LIMITS, ids=[r[0].isoformat() for r in SUBMISSION_LIMITS])
def test_a_submitted_case_is_due_thirty_working_days_later(reviewer, monkeypatch, submitted, limit):
    _on(monkeypatch, submitted)
    case = new_application()
    assert case.expected_completion == limit
    assert selectors.case_for(reviewer, case.office_code).due == limit


def _on(monkeypatch, day: date) -> None:
    """Make `day`, 10:00 in Wuhan, the current time."""
    import django.utils.timezone

    at = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(django.utils.timezone, "now", lambda: at)


@pytest.mark.parametrize(("limit", "suspended", "resumed", "lost", "after_resume", "extra", "after_extension"),
                         DEADLINES, ids=[row[0].isoformat() for row in DEADLINES])
def test_suspension_stops_the_clock_and_extension_adds_working_days(reviewer, application, monkeypatch, limit,
                                                                    suspended, resumed, lost, after_resume,
                                                                    extra, after_extension):
    Application.objects.filter(pk=application.pk).update(expected_completion=limit)
    application.refresh_from_db()
    _on(monkeypatch, suspended)
    services.claim(staff=reviewer, application=application)
    services.suspend(staff=reviewer, application=application, reason="Waiting for the household register office")
    with pytest.raises(services.CaseworkError) as refused:
        services.approve(staff=reviewer, application=application)
    assert refused.value.code == "suspended"
    _on(monkeypatch, resumed)
    services.resume(staff=reviewer, application=application, reason="Answer received")
    casefile = CaseFile.objects.get(application=application)
    assert casefile.deadline == after_resume
    assert CaseAction.objects.get(application=application, kind="resumed").data == {
        "working_days_added": lost, "deadline": after_resume.isoformat()}
    services.extend_deadline(staff=reviewer, application=application, days=extra, reason="Needs a home visit")
    casefile.refresh_from_db()
    assert casefile.deadline == after_extension
    assert selectors.queue(reviewer, selectors.QueueFilters(stage=State.UNDER_REVIEW)).get(
        pk=application.pk).due == after_extension
    kinds = list(CaseAction.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == ["claimed", "suspended", "resumed", "deadline_extended"]
    with pytest.raises(services.CaseworkError):
        services.extend_deadline(staff=reviewer, application=application, days=0, reason="x")
    with pytest.raises(services.CaseworkError):
        services.extend_deadline(staff=reviewer, application=application, days=3, reason=" ")


def test_the_case_page_masks_personal_data_and_revealing_is_audited(reviewer, application):
    c = staff_client(reviewer)
    page = c.get(reverse("casework:case", args=[application.office_code])).content.decode()
    assert application.subject_id_number not in page
    assert application.masked_id_number in page
    assert application.applicant.phone not in page
    response = c.post(reverse("casework:case_action", args=[application.office_code, "reveal"]),
                      {"field": "subject_id_number", "reveal-subject_id_number-field": "subject_id_number",
                       "reveal-subject_id_number-reason": "Citizen on the phone"})
    assert application.subject_id_number in response.content.decode()
    event = AuditEvent.objects.get(event_type="casework.revealed")
    assert event.data["field"] == "subject_id_number" and event.actor == reviewer
    # shown once: the next page view is masked again
    page = c.get(reverse("casework:case", args=[application.office_code])).content.decode()
    assert application.subject_id_number not in page


def test_revealing_needs_a_reason(reviewer, application):
    with pytest.raises(services.CaseworkError):
        services.reveal(staff=reviewer, application=application, field_name="subject_name", reason="")
    with pytest.raises(services.CaseworkError):
        services.reveal(staff=reviewer, application=application, field_name="password", reason="x")


def test_every_action_is_in_the_case_history_with_actor_and_reason(reviewer, supervisor, application):
    services.claim(staff=reviewer, application=application)
    services.extend_deadline(staff=reviewer, application=application, days=2, reason="Complex")
    services.approve(staff=reviewer, application=application, note="All good")
    c = staff_client(supervisor)
    page = c.get(reverse("casework:case", args=[application.office_code])).content.decode()
    for text in ("Claimed", "Time limit extended", "Complex", "Bank account pre-opening", "All good",
                 reviewer.real_name):
        assert text in page
    assert StatusChange.objects.filter(application=application, actor=reviewer).count() == 2
