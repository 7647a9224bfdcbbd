"""Without a broker (the embedded default) tasks run in-process; retrying tasks back off."""

from celery import shared_task

from sscard import celery_app
from sscard.celery import QUEUE_NAMES, RetryingTask, TransientError
from sscard.ops.tasks import ping

calls: list[int] = []


@shared_task(bind=True, base=RetryingTask, name="tests.ops.flaky", max_retries=3, retry_backoff=False)
def flaky(self, fail_times: int) -> str:
    calls.append(self.request.retries)
    if self.request.retries < fail_times:
        raise TransientError("gateway busy")
    return "delivered"


def test_the_embedded_default_runs_tasks_eagerly():
    assert celery_app.conf.task_always_eager is True
    result = ping.delay()
    assert result.successful()
    assert result.get() == "pong"


def test_a_transient_failure_is_retried_until_it_succeeds():
    calls.clear()
    assert flaky.delay(2).get() == "delivered"
    assert calls == [0, 1, 2]


def test_a_task_failing_for_good_does_not_raise_into_the_caller():
    calls.clear()
    result = flaky.delay(10)
    assert result.failed()
    assert calls == [0, 1, 2, 3]  # the first try and three retries


def test_production_task_settings():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert {queue.name for queue in conf.task_queues} == set(QUEUE_NAMES)
    assert RetryingTask.retry_backoff and RetryingTask.retry_jitter and RetryingTask.max_retries >= 5
