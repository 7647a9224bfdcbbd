"""The yearly statement batch: planned in chunks of the persons insured in the year, each chunk one transaction;
idempotent (a second run makes no second statement and tells nobody twice), resumable after a crash (the chunk
that failed stays pending and the next start runs it), progress for staff, the start button's permission."""

from datetime import date

import pytest
from django.urls import reverse

from sscard.notify.models import Message, PendingDelivery
from sscard.records import services as records
from sscard.records.statements import services
from sscard.records.statements.models import Statement, StatementBatch, StatementChunk

from .conftest import approved_employer, new_citizen, new_officer, staff_client
from .conftest_ledger import confirmed_bill
from .test_statements import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def insured():
    """Three persons with accounts insured in 2025 (one month declared), one insured from 2026 only, one whose
    enrolment ended in 2024."""
    employer = approved_employer()
    people = [new_citizen(name) for name in ("赵一", "钱二", "孙三")]
    confirmed_bill(employer, [(p.id_number, p.real_name, 650_000) for p in people], month=date(2025, 1, 1))
    later, earlier = new_citizen("李四"), new_citizen("周五")
    records.enrol(user=employer.registered_by, employer=employer, id_number=later.id_number, name=later.real_name,
                  start_month=date(2026, 1, 1), types=["pension"])
    enrolment = records.enrol(user=employer.registered_by, employer=employer, id_number=earlier.id_number,
                              name=earlier.real_name, start_month=date(2024, 1, 1), types=["pension"])
    records.stop_enrolment(user=employer.registered_by, employer=employer, enrolment=enrolment, end_month=date(2024, 6, 1))
    return people


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """`start(...)`: `services.start_batch` and then what waits for its commit (the chunks' tasks, run eagerly
    here as on the embedded default)."""

    def start(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.start_batch(**kwargs)

    return start


def test_persons_of_a_year_are_those_enrolled_in_it(insured):
    assert list(services.persons_of_year(2025)) == sorted(p.id_number for p in insured)


def test_the_batch_makes_one_statement_each_and_tells_each_person(insured, committing):
    officer = new_officer()
    batch = committing(staff=officer, year=2025, today=TODAY, chunk_size=2)
    batch.refresh_from_db()
    assert (batch.persons, batch.chunks, batch.state) == (3, 2, StatementBatch.State.DONE)
    assert list(StatementChunk.objects.filter(batch=batch).order_by("number").values_list("persons", "made", "state")) \
        == [(2, 2, "done"), (1, 1, "done")]
    assert sorted(Statement.objects.values_list("id_number", flat=True)) == sorted(p.id_number for p in insured)
    for person in insured:
        assert Message.objects.filter(user=person, link="/records/statements/").count() == 1
        assert PendingDelivery.objects.filter(recipient=person.phone, purpose="records_statement").count() == 1


def test_running_the_year_again_makes_no_second_statement(insured, committing):
    officer = new_officer()
    committing(staff=officer, year=2025, today=TODAY, chunk_size=2)
    again = committing(staff=officer, year=2025, today=TODAY, chunk_size=2)
    assert StatementBatch.objects.count() == 1 and again.chunks == 2
    # Even a chunk forced to run again (a task delivered twice) writes nothing.
    chunk = StatementChunk.objects.get(batch=again, number=1)
    StatementChunk.objects.filter(pk=chunk.pk).update(state=StatementChunk.State.PENDING)
    assert services.run_chunk(chunk.pk, today=TODAY) == 0
    assert Statement.objects.count() == 3
    assert Message.objects.filter(link="/records/statements/").count() == 3
    assert PendingDelivery.objects.filter(purpose="records_statement").count() == 3


def test_a_crashed_chunk_stays_pending_and_the_next_start_resumes_it(insured, monkeypatch, committing):
    officer = new_officer()
    real = services.make_statements
    calls = []

    def crash_on_second_chunk(**kwargs):
        calls.append(kwargs["id_numbers"])
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real(**kwargs)

    monkeypatch.setattr(services, "make_statements", crash_on_second_chunk)
    batch = committing(staff=officer, year=2025, today=TODAY, chunk_size=2)
    batch.refresh_from_db()
    assert batch.state == StatementBatch.State.RUNNING
    assert list(StatementChunk.objects.filter(batch=batch).order_by("number").values_list("state", flat=True)) \
        == ["done", "pending"]
    assert Statement.objects.count() == 2  # the failed chunk wrote nothing
    progress = services.progress(batch)
    assert (progress.persons_done, progress.chunks_done, progress.made, progress.percent) == (2, 1, 2, 66)
    assert progress.estimated_end is not None

    monkeypatch.setattr(services, "make_statements", real)
    committing(staff=officer, year=2025, today=TODAY)
    batch.refresh_from_db()
    assert batch.state == StatementBatch.State.DONE and batch.finished_at is not None
    assert Statement.objects.count() == 3
    assert services.progress(batch).percent == 100


def test_only_staff_allowed_start_the_batch_and_see_its_page(insured, django_capture_on_commit_callbacks):
    with pytest.raises(services.StatementError):
        services.start_batch(staff=new_citizen("吴六"), year=2025, today=TODAY)
    officer = new_officer()
    client = staff_client(officer)
    page = client.get(reverse("casework:records_statements"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework:records_statements"), {"year": "2025"})
    started = client.get(reverse("casework:records_statements"))
    text = started.content.decode()
    assert "<progress" in text and 'value="3"' in text and "3 / 3" in text
    with pytest.raises(services.StatementError) as refused:
        services.start_batch(staff=officer, year=2026, today=TODAY)
    assert refused.value.code == "year"
