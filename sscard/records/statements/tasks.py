"""The statement batch's task: one chunk of persons (acks late: a chunk lost with its worker is delivered again,
and a chunk done already does nothing)."""

from celery import shared_task

from . import services


@shared_task(name="sscard.records.make_statement_chunk", acks_late=True)
def make_chunk(chunk_id: int) -> int:
    return services.run_chunk(chunk_id)
