"""The access log: public look-ups are appended without the chain lock and sealed into the chain in batches."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from sscard.audit.models import AccessEvent, AuditChainHead, AuditEvent, AuditLogImmutable
from sscard.audit.selectors import verify_access_seals, verify_chain
from sscard.audit.services import record_access, record_event, seal_access_events
from sscard.audit.tasks import seal_access_events as seal_task

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=1)


def accesses(n: int, **kwargs) -> None:
    request = RequestFactory().get("/api/v1/progress", REMOTE_ADDR="10.0.0.7")
    for i in range(n):
        record_access(event_type="test.lookup", subject_type="case", subject_id=f"C{i}", data={"i": i},
                      request=request, **kwargs)


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_access_takes_no_chain_lock_and_masks_personal_data():
    head = AuditChainHead.objects.get(pk=1)
    record_access(event_type="test.lookup", subject_id="420106199001011234",
                  data={"phone": "13812345678"}, request=RequestFactory().get("/", REMOTE_ADDR="10.0.0.7"))
    event = AccessEvent.objects.get()
    assert "420106199001011234" not in event.subject_id and "13812345678" not in str(event.data)
    assert event.ip_hash and "10.0.0.7" not in event.ip_hash
    assert AuditChainHead.objects.get(pk=1).last_seq == head.last_seq  # the chain did not move
    assert abs((timezone.now() - event.occurred_at).total_seconds()) < 60


def test_access_events_are_append_only_in_the_model_and_in_the_database():
    accesses(1)
    event = AccessEvent.objects.get()
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AccessEvent.objects.all().update(event_type="x")
    with pytest.raises(AuditLogImmutable):
        AccessEvent.objects.all().delete()
    for statement in ("UPDATE audit_accessevent SET event_type = 'forged'", "DELETE FROM audit_accessevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            raw(statement)
    assert AccessEvent.objects.get().event_type == "test.lookup"


def test_sealing_chains_the_rows_in_batches_and_leaves_the_youngest_for_later():
    accesses(5)
    assert seal_access_events() == []  # younger than the seal delay: not yet
    seals = seal_access_events(batch=2, now=timezone.now() + LATER)
    assert [s.data["count"] for s in seals] == [2, 2, 1]
    assert [s.data["after_id"] for s in seals[1:]] == [s.data["last_id"] for s in seals[:-1]]
    assert seal_access_events(now=timezone.now() + LATER) == []  # nothing new
    accesses(3)
    assert [s.data["count"] for s in seal_access_events(now=timezone.now() + LATER)] == [3]
    report = verify_access_seals()
    assert (report.intact, report.seals, report.sealed_rows, report.unsealed_rows) == (True, 4, 8, 0)
    assert verify_chain().intact  # the seals are ordinary chained events


def test_the_beat_task_and_the_command_seal(monkeypatch):
    accesses(2)
    monkeypatch.setattr("sscard.audit.services.SEAL_DELAY_SECONDS", -60)
    assert seal_task() == 2
    accesses(1)
    out = io.StringIO()
    call_command("audit_seal", stdout=out)
    assert out.getvalue().strip() == "sealed 1 access events in 1 seal event(s)"
    out = io.StringIO()
    call_command("audit_seal", stdout=out)
    assert out.getvalue().strip().startswith("nothing to seal")
    assert AuditEvent.objects.filter(event_type="audit.access_sealed").count() == 2


def run_verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        return 0, out.getvalue()
    except SystemExit as exit_:
        return exit_.code, err.getvalue().strip()


@pytest.mark.parametrize("tamper, problem", [
    ("UPDATE audit_accessevent SET subject_id = 'FORGED' WHERE id = %(second)s", "were altered"),
    ("DELETE FROM audit_accessevent WHERE id = %(second)s", "sealed 3 rows, the log now has 2"),
])
def test_a_sealed_row_changed_or_removed_is_reported(without_db_guard, tamper, problem):
    accesses(3)
    seal_access_events(now=timezone.now() + LATER)
    second = AccessEvent.objects.order_by("id").values_list("id", flat=True)[1]
    with without_db_guard():
        raw(tamper % {"second": second})
    code, err = run_verify()
    assert code == 1 and err.startswith("access log broken: access seal at event seq=") and problem in err


def test_rows_still_waiting_for_their_seal_are_counted_not_failed():
    accesses(2)
    seal_access_events(now=timezone.now() + LATER)
    accesses(1)
    code, out = run_verify()
    assert code == 0 and "access log intact: 2 rows in 1 seals, 1 not sealed yet" in out


@pytest.mark.breaks_audit_chain
def test_a_seal_that_does_not_start_where_the_last_ended_is_reported():
    accesses(2)
    seal_access_events(now=timezone.now() + LATER)
    # A forged seal event (through the normal chain, so the chain itself is intact) skipping rows.
    record_event(event_type="audit.access_sealed", data={"after_id": 10_000, "last_id": 10_001, "count": 0,
                                                         "sha256": "0" * 64})
    report = verify_access_seals()
    assert not report.intact and "the seal before it ended at id=" in report.problem


def test_the_oldest_unsealed_access_is_a_metric(client, monkeypatch, settings):
    settings.METRICS_TOKEN = "t"  # production serves /metrics only with its token

    def metric() -> float:
        body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
        return float(next(x for x in body.splitlines()
                          if x.startswith("sscard_access_log_oldest_unsealed_seconds ")).split()[1])

    assert metric() == 0
    now = timezone.now()
    with monkeypatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: now - timedelta(minutes=7))
        accesses(1)
    accesses(1)
    assert 7 * 60 - 5 < metric() < 7 * 60 + 60
    seal_access_events(now=timezone.now() + LATER)
    assert metric() == 0


def test_two_sealers_at_once_never_seal_a_range_twice(monkeypatch):
    from sscard.audit import services

    accesses(3)
    later = timezone.now() + LATER
    real_digest, raced = services.access_digest, []

    def digest_while_another_sealer_wins(after_id, last_id, **kwargs):
        if not raced:  # the first sealer computes its digest (outside the lock) while a second one seals
            monkeypatch.setattr(services, "access_digest", real_digest)
            raced.append(seal_access_events(now=later))
        return real_digest(after_id, last_id, **kwargs)

    monkeypatch.setattr(services, "access_digest", digest_while_another_sealer_wins)
    assert seal_access_events(now=later) == []  # it found the range sealed and had nothing left
    assert [s.data["count"] for s in raced[0]] == [3]
    assert AuditEvent.objects.filter(event_type="audit.access_sealed").count() == 1
    assert verify_access_seals().intact
