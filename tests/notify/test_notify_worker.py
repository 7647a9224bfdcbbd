"""CI's proof that the outbox works end to end with a real broker: a submitted application's SMS is
delivered by a `celery -A sscard worker` process reading the local Redis and the test's PostgreSQL database.

Skipped (with the reason printed by `-ra`) unless SSCARD_CELERY_WORKER_TEST=1; with it set, anything missing
(PostgreSQL, Redis, a worker that does not start or does not deliver within the time limit) FAILS the test.
`.ci/run` runs it as its own pytest invocation after phase 2.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

WORKER_TEST = os.environ.get("SSCARD_CELERY_WORKER_TEST") == "1"
# A Redis database of this test's own, emptied before the worker starts (not the cache's, not the bench's).
BROKER_URL = os.environ.get("SSCARD_CELERY_WORKER_BROKER_URL", "redis://127.0.0.1:6379/14")
DEADLINE_S = float(os.environ.get("SSCARD_CELERY_WORKER_DEADLINE", "30"))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not WORKER_TEST, reason="real Celery worker test: set SSCARD_CELERY_WORKER_TEST=1 "
                                               "(needs PostgreSQL and Redis; .ci/run does it)"),
]


def _database_url(settings_dict: dict) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def producer_on_broker():
    """This process queues tasks to the worker's broker instead of running them in-process."""
    from sscard import celery_app

    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)

    def reset_pools():
        from kombu import pools

        # kombu keeps one connection pool per broker URL for the whole process: close and forget them all,
        # so the next test gets fresh ones (not the closed pool of the last).
        pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    reset_pools()
    conf.task_always_eager = False
    conf.broker_url = BROKER_URL
    yield
    reset_pools()
    conf.task_always_eager, conf.broker_url = saved


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real worker process on the `notify` and `default` queues, using the test database."""
    import redis
    from django.db import connection

    assert connection.vendor == "postgresql", (
        "the worker test needs PostgreSQL (SSCARD_DATABASE_URL=postgres://...): a worker process cannot "
        "share a SQLite test database")
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        pytest.fail(f"Redis broker {BROKER_URL} is not reachable: {error}")
    env = {**os.environ,
           "SSCARD_DATABASE_URL": _database_url(connection.settings_dict),
           "SSCARD_CELERY_BROKER_URL": BROKER_URL,
           "SSCARD_CELERY_EAGER": "0",
           "SSCARD_SMS_GATEWAY": "outbox",
           "SSCARD_DB_CONN_MAX_AGE": "0"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = tmp_path / "worker.log"
    log = open(log_path, "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sscard", "worker", "--pool", "solo", "-Q", "notify,default",
         "-n", f"sscard-test-worker-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def tail() -> str:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-40:])

    process.log_tail = tail
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        # Drop the worker's connections before pytest-django flushes (or drops) the test database.
        connection.close()


def _submit_application():
    from sscard.accounts.models import User
    from sscard.applications.services import submit_application
    from sscard.domain.idnumber import make_id_number
    from sscard.reference.models import Outlet, PartnerBank

    birth = date(1988, 6, 1)
    id_number = make_id_number("420106", birth, 123)
    user = User.objects.create_user(username=f"worker-{uuid.uuid4().hex[:8]}", password="x" * 16,
                                    real_name="张三", id_number=id_number, phone="13800001234")
    bank = PartnerBank.objects.get_or_create(code="worker-bank", defaults={"name": "测试银行"})[0]
    outlet = Outlet.objects.create(name="测试网点", city="武汉市", address="中北路 1 号", hours="9:00-17:00")
    fields = {
        "for_child": False, "relationship": "", "subject_name": "张三", "subject_id_number": id_number,
        "subject_sex": "M", "subject_birth_date": birth, "ethnicity": "01", "nationality": "CHN",
        "document_valid_until": date(2035, 1, 1), "document_long_term": False, "occupation": "2", "employer": "",
        "res_province": "420000", "res_city": "420100", "res_district": "420106", "res_detail": "中北路 100 号",
        "bank": bank, "delivery": "pickup", "outlet": outlet, "recipient_name": "", "recipient_phone": "",
        "post_province": "", "post_city": "", "post_district": "", "post_detail": "",
        "photo": "", "photo_original": "",
    }
    return submit_application(user=user, token=uuid.uuid4(), fields=fields).application


def test_a_real_worker_delivers_a_submissions_sms(producer_on_broker, worker):
    from sscard.notify.models import OutboxSms, PendingDelivery

    application = _submit_application()  # commits: the on_commit hand-over queues `deliver` on Redis
    row = PendingDelivery.objects.get(purpose="card_application")
    assert row.recipient == application.applicant.phone

    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status != PendingDelivery.Status.PENDING:
            break
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.returncode}:\n{worker.log_tail()}")
        time.sleep(0.2)
    else:
        pytest.fail(f"the SMS was not delivered within {DEADLINE_S:.0f} s (status {row.status}, "
                    f"attempts {row.attempts}); worker log:\n{worker.log_tail()}")

    assert row.status == PendingDelivery.Status.SENT, (row.status, row.last_error, worker.log_tail())
    assert row.worker.startswith("sscard-test-worker-"), row.worker  # delivered by the worker, not in-process
    sms = OutboxSms.objects.get(gateway_message_id=row.gateway_message_id)
    assert sms.purpose == "card_application" and application.display_code in sms.text
    assert "sscard.notify.deliver" in worker.log_tail()


def test_a_real_worker_seals_the_access_log(producer_on_broker, worker, monkeypatch):
    """Beat's every-minute job, queued by hand: the public look-ups are sealed into the audit chain by the worker."""
    from datetime import timedelta

    from django.utils import timezone

    from sscard.audit.models import AuditEvent
    from sscard.audit.selectors import verify_access_seals
    from sscard.audit.services import record_access
    from sscard.audit.tasks import seal_access_events

    now = timezone.now()
    with monkeypatch.context() as patch:  # look-ups made a minute ago (the sealer leaves the last 5 s)
        patch.setattr("django.utils.timezone.now", lambda: now - timedelta(minutes=1))
        for n in range(3):
            record_access(event_type="card_application.progress_lookup", subject_type="card_application",
                          subject_id=f"K7QMX3P9C4{n}", data={"outcome": "found"})
    seal_access_events.delay()

    deadline = time.monotonic() + DEADLINE_S
    while not AuditEvent.objects.filter(event_type="audit.access_sealed").exists():
        if worker.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.returncode}:\n{worker.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"nothing sealed within {DEADLINE_S:.0f} s; worker log:\n{worker.log_tail()}")
        time.sleep(0.2)
    seal = AuditEvent.objects.get(event_type="audit.access_sealed")
    assert seal.data["count"] == 3
    assert verify_access_seals().intact
    assert "sscard.audit.seal_access_events" in worker.log_tail()
