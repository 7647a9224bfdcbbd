import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, connections, transaction

from sscard.audit.models import AuditEvent
from sscard.audit.selectors import verify_chain
from sscard.audit.services import record_event

WRITERS = 6
EVENTS_EACH = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_chain_to_the_same_previous_event():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a database shared by several connections (PostgreSQL or an SQLite file); "
                    "in-memory SQLite serialises every write anyway")
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                with transaction.atomic():
                    record_event(event_type="test.concurrent", data={"writer": n, "i": i})
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()

    assert errors == []
    total = WRITERS * EVENTS_EACH
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total
    report = verify_chain()
    assert report.intact and report.count == total


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_log_despite_the_guard():
    record_event(event_type="test.x")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert record_event(event_type="test.after_flush").seq == 1
