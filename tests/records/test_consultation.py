"""Consultation: a question asked in the personal or employer space, answered by a records officer within the
configured working days, rated once (1-5) by the asker; the FAQ in the reader's language; the records dashboard's
counts, response times and ratings.

By hand: asked Monday 2026-03-02 09:00 (Asia/Shanghai), 5 working days -> due Monday 2026-03-09. Answers after
2 h and 4 h: mean 3.0 h; ratings 4 and 5: mean 4.5.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sscard.audit.models import AuditEvent
from sscard.notify.models import Message
from sscard.records.consultation import selectors, services
from sscard.records.consultation.models import Question
from sscard.records.services import RecordsError

from .conftest import approved_employer, citizen_client, new_citizen, new_officer, new_staff, staff_client

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_question_is_asked_answered_and_rated_once(monkeypatch):
    at(monkeypatch, ASKED)
    citizen, officer = new_citizen(), new_officer()
    question = services.ask(user=citizen, category_code="accounts", subject="Interest",
                            text="When is the interest credited?")
    assert (question.state, question.deadline) == ("open", date(2026, 3, 9))
    at(monkeypatch, ASKED + timedelta(hours=2))
    services.answer(staff=officer, question=question, text="On 31 December.")
    question.refresh_from_db()
    assert (question.state, question.answer, question.response_seconds) == ("answered", "On 31 December.", 7200)
    assert list(Message.objects.filter(user=citizen, link__startswith="/records/").values_list("subject", "link")) == [
        ("您的咨询已答复", f"/records/consultation/{question.pk}/")]  # in the citizen's language
    with pytest.raises(RecordsError) as refused:
        services.rate(user=new_citizen(), question=question, rating=5)
    assert refused.value.code == "not_asker"
    for bad in ("0", "6", "x", None):
        with pytest.raises(RecordsError) as refused:
            services.rate(user=citizen, question=question, rating=bad)
        assert refused.value.translated() == "Choose a rating from 1 to 5."
    services.rate(user=citizen, question=question, rating="4")
    with pytest.raises(RecordsError) as refused:
        services.rate(user=citizen, question=question, rating=5)
    assert refused.value.code == "rated"
    assert Question.objects.get().rating == 4
    with pytest.raises(RecordsError) as refused:
        services.answer(staff=officer, question=question, text="again")
    assert refused.value.code == "answered"
    assert set(AuditEvent.objects.filter(subject_type="question").values_list("event_type", flat=True)) == {
        "records.question_asked", "records.question_answered", "records.answer_rated"}


def test_bad_questions_are_refused_with_the_field():
    citizen = new_citizen()
    for kwargs, field in ((dict(category_code="nope", subject="s", text="t"), "category"),
                          (dict(category_code="other", subject=" ", text="t"), "subject"),
                          (dict(category_code="other", subject="s", text=""), "text")):
        with pytest.raises(RecordsError) as refused:
            services.ask(user=citizen, **kwargs)
        assert refused.value.field == field
    assert Question.objects.count() == 0


def test_employer_questions_reach_the_officers_of_its_area_only():
    employer = approved_employer()
    question = services.ask(user=employer.registered_by, employer=employer, category_code="contributions",
                            subject="Bill", text="Why is the bill higher?")
    with pytest.raises(RecordsError):
        services.ask(user=new_citizen(), employer=employer, category_code="other", subject="s", text="t")
    elsewhere = new_officer(["district:420102"])
    assert services.questions_visible_to(elsewhere).filter(pk=question.pk).count() == 0
    with pytest.raises(RecordsError) as refused:
        services.answer(staff=elsewhere, question=question, text="x")
    assert refused.value.code == "area"
    assert staff_client(elsewhere).get(reverse("casework:records_question", args=[question.pk])).status_code == 404


def test_a_persons_question_reaches_the_officers_of_their_employers_area_or_every_officer_without_one():
    """A person's own question goes to the area of the employer they work for (their open enrolment); a person
    with no employer on record is answered by any records officer."""
    from sscard.records import services as records_services

    employer = approved_employer()  # district 420106
    worker, jobless = new_citizen("钱七"), new_citizen("孙八")
    records_services.enrol(user=employer.registered_by, employer=employer, id_number=worker.id_number,
                           name=worker.real_name, start_month=date(2026, 1, 1), types=["pension", "medical"])
    own = services.ask(user=worker, category_code="accounts", subject="Balance", text="Is my balance right?")
    loose = services.ask(user=jobless, category_code="other", subject="Card", text="How do I apply?")
    here, elsewhere = new_officer(["district:420106"]), new_officer(["district:420102"])
    table = {  # (officer, question): visible, by hand
        (here, own): True, (elsewhere, own): False, (here, loose): True, (elsewhere, loose): True}
    for (officer, question), visible in table.items():
        assert services.questions_visible_to(officer).filter(pk=question.pk).exists() is visible
    assert [q.pk for q in selectors.queue_for_staff(elsewhere)] == [loose.pk]
    with pytest.raises(RecordsError) as refused:
        services.answer(staff=elsewhere, question=own, text="x")
    assert refused.value.code == "area"
    services.answer(staff=here, question=own, text="Yes.")
    assert Question.objects.get(pk=own.pk).answer == "Yes."


def test_the_faq_is_read_in_the_readers_language():
    with translation.override("es"):
        assert "¿Cuánto tarda la respuesta a una objeción?" in [e.question for e in selectors.faq()]
    with translation.override("zh-hans"):
        assert "提出异议后多久答复？" in [e.question for e in selectors.faq()]
    page = citizen_client(new_citizen()).get(reverse("records:consultation"), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200


def test_the_dashboard_counts_response_times_and_ratings(monkeypatch):
    at(monkeypatch, ASKED)
    officer = new_officer()
    citizens = [new_citizen() for _ in range(3)]
    questions = [services.ask(user=c, category_code="other", subject=f"Q{n}", text="?")
                 for n, c in enumerate(citizens)]
    for question, hours, rating in ((questions[0], 2, 4), (questions[1], 4, 5)):
        at(monkeypatch, ASKED + timedelta(hours=hours))
        services.answer(staff=officer, question=question, text="A")
        services.rate(user=question.asker, question=question, rating=rating)
    board = selectors.board(officer, today=date(2026, 3, 10))
    assert (board.questions_open, board.questions_overdue, board.questions_answered, board.answered_late,
            board.mean_response_hours, board.rated, board.mean_rating) == (1, 1, 2, 0, 3.0, 2, 4.5)
    assert board.ratings == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    supervisor = new_staff(["supervisor"])
    page = staff_client(supervisor).get(reverse("casework:records_dashboard"))
    assert page.status_code == 200 and 'id="q-rating">4.5<' in page.content.decode()


def test_the_pages_ask_answer_and_rate():
    citizen, officer = new_citizen(), new_officer()
    client = citizen_client(citizen)
    refused = client.post(reverse("records:consultation"), {"category": "", "subject": "s", "text": "t"})
    assert refused.status_code == 400 and "Choose a category." in refused.content.decode()
    client.post(reverse("records:consultation"), {"category": "accounts", "subject": "Balance", "text": "How?"})
    question = Question.objects.get()
    staff = staff_client(officer)
    assert "Balance" in staff.get(reverse("casework:records_questions")).content.decode()
    staff.post(reverse("casework:records_question", args=[question.pk]), {"answer": "See the FAQ."})
    assert client.post(reverse("records:question", args=[question.pk]), {"rating": "5"}).status_code == 302
    assert Question.objects.get().rating == 5
    assert citizen_client(new_citizen()).get(reverse("records:question", args=[question.pk])).status_code == 404
