import io

import pytest
from django.core.management import call_command
from django.db import connection

from sscard.audit.models import AuditEvent
from sscard.audit.services import record_event

pytestmark = pytest.mark.django_db


def run_verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().strip(), err.getvalue().strip()


def make_events(n: int) -> list[AuditEvent]:
    return [record_event(event_type=f"test.e{i}", subject_type="case", subject_id=str(i), data={"i": i})
            for i in range(1, n + 1)]


def raw(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_empty_log_is_intact():
    assert run_verify() == (0, "audit chain intact: 0 events\naccess log intact: 0 rows in 0 seals, 0 not sealed "
                               "yet (sealed every minute by the worker's beat, or by `manage.py audit_seal`)", "")


def test_an_untouched_chain_is_reported_intact():
    make_events(5)
    code, out, err = run_verify()
    assert (code, out.splitlines()[0], err) == (0, "audit chain intact: 5 events", "")


def test_a_row_changed_behind_the_applications_back_is_reported_at_its_seq(without_db_guard):
    events = make_events(5)
    with without_db_guard():
        raw("UPDATE audit_auditevent SET event_type = %s WHERE seq = %s", ["test.forged", 3])

    code, out, err = run_verify()
    assert code == 1 and out == ""
    assert err == (f"audit chain broken at event seq=3 (id={events[2].pk}): "
                   "its stored hash does not match its contents (the row was altered)")


def test_a_row_changed_with_a_recomputed_hash_breaks_the_next_link(without_db_guard):
    events = make_events(4)
    forged = AuditEvent.objects.get(seq=2)
    forged.data = {"i": 999}
    with without_db_guard():
        raw("UPDATE audit_auditevent SET data = %s, hash = %s WHERE seq = 2",
            ['{"i": 999}', forged.compute_hash()])

    code, _, err = run_verify()
    assert code == 1
    assert err == (f"audit chain broken at event seq=3 (id={events[2].pk}): "
                   "its prev_hash does not match the hash of the event before it")


def test_a_deleted_middle_row_is_reported_at_the_event_after_the_gap(without_db_guard):
    events = make_events(5)
    with without_db_guard():
        raw("DELETE FROM audit_auditevent WHERE seq = %s", [3])

    code, _, err = run_verify()
    assert code == 1
    assert err == (f"audit chain broken at event seq=4 (id={events[3].pk}): "
                   "expected seq=3 here: 1 event(s) before it are missing")


def test_deleted_last_rows_are_caught_by_the_chain_head(without_db_guard):
    make_events(5)
    with without_db_guard():
        raw("DELETE FROM audit_auditevent WHERE seq >= %s", [4])

    code, _, err = run_verify()
    assert code == 1
    assert err == ("audit chain broken at event seq=4 (id=missing): the chain head records 5 events but the "
                   "log ends at seq=3: the last events are missing")


def test_a_deleted_first_row_is_reported(without_db_guard):
    events = make_events(3)
    with without_db_guard():
        raw("DELETE FROM audit_auditevent WHERE seq = 1")

    code, _, err = run_verify()
    assert code == 1
    assert err.startswith(f"audit chain broken at event seq=2 (id={events[1].pk}): expected seq=1 here")
