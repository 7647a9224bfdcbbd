"""SMS and in-site messages: the only ways this project sends anything to a person.

SMS go through the outbox (`PendingDelivery`, docs/deploy.md "Outbox"): written in the business
transaction, delivered by the `sscard.notify.deliver` task after the commit, swept up if the task was lost.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sscard.domain.masking import mask_personal_data, mask_phone

from .models import Message, PendingDelivery
from .sms.base import SmsDeliveryError
from .sms.registry import get_gateway
from .texts import is_text, language_of, render, to_json

logger = logging.getLogger(__name__)


# Attempts per message: the first and up to MAX_ATTEMPTS - 1 retries, 2 s, 4 s, 8 s ... apart (at most 10 min).
MAX_ATTEMPTS = 9
BACKOFF_BASE_SECONDS = 2
BACKOFF_MAX_SECONDS = 600
# The sweeper re-queues a pending message this long after its attempt was due (its task was lost).
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500


def backoff_seconds(attempts: int) -> int:
    """Delay before the next attempt after `attempts` failed ones: 2, 4, 8, ... capped at 10 minutes."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS ** max(1, attempts))


def send_sms(*, phone: str, text, purpose: str, language: str | None = None) -> PendingDelivery:
    """Queue an SMS: `text` a plain string or a text (`sscard.notify.texts`), rendered in `language` (default:
    the active language, the request's: for a phone without an account). To a user: `send_sms_to_user`.

    Queue an SMS: an outbox row in the caller's transaction, handed to the `deliver` task once it commits.

    A rolled-back transaction leaves no row and sends nothing; a committed one always has its row, even if
    the broker is down at that moment (the sweeper re-queues it). Outside a transaction the row is
    committed, and handed over, at once. Delivery failures are retried by the task and never raised here.
    """
    text = render(text, language) if is_text(text) else str(text)
    row = PendingDelivery.objects.create(channel=PendingDelivery.Channel.SMS, recipient=phone, text=text,
                                         purpose=str(purpose)[:64], next_attempt_at=timezone.now())
    transaction.on_commit(lambda: enqueue(row.pk), robust=True)
    return row


def send_sms_to_user(*, user, text, purpose: str) -> PendingDelivery | None:
    """An SMS to a user's phone in the user's own language, whoever's action caused it (None: no phone)."""
    if not getattr(user, "phone", None):
        return None
    return send_sms(phone=user.phone, text=text, purpose=purpose, language=language_of(user))


def enqueue(delivery_id: int) -> bool:
    """Hand one outbox row to the `deliver` task (run in-process when there is no broker).

    A broker that cannot be reached is logged and otherwise ignored: the row stays pending for the sweeper.
    """
    from .tasks import deliver

    try:
        deliver.apply_async(args=[delivery_id])
    except Exception as error:  # noqa: BLE001 - kombu/redis raise many kinds; the outbox row is the safety net
        logger.warning("outbox message %s not queued (%s): the sweeper will retry it", delivery_id,
                       type(error).__name__)
        return False
    return True


@dataclass
class Attempt:
    outcome: str  # "sent", "retry" (failed, another attempt due), "failed" (given up), "skipped"
    retry_in: int = 0


def attempt_delivery(delivery_id: int, *, worker: str = "in-process", final: bool = False) -> Attempt:
    """One delivery attempt of an outbox row, under a row lock so that two tasks never both send it.

    A row no longer pending (already sent, given up, or locked by another worker) is skipped: tasks may run
    twice (late acknowledgement, the sweeper) and this is what makes them idempotent. On failure the attempt
    is recorded (masked error, never the text); after MAX_ATTEMPTS, or when `final`, the row is marked failed.
    """
    with transaction.atomic():
        row = (PendingDelivery.objects.select_for_update(skip_locked=True)
               .filter(pk=delivery_id, status=PendingDelivery.Status.PENDING).first())
        if row is None:
            return Attempt("skipped")
        gateway = get_gateway()
        masked = mask_phone(row.recipient)
        now = timezone.now()
        row.attempts += 1
        row.gateway = gateway.identifier
        row.worker = worker[:128]
        try:
            message_id = gateway.send(row.recipient, row.text, purpose=row.purpose)
        except SmsDeliveryError as error:
            reason = mask_personal_data(str(error))[:300]
            row.last_error = reason
            give_up = final or row.attempts >= MAX_ATTEMPTS
            delay = backoff_seconds(row.attempts)
            if give_up:
                row.status = PendingDelivery.Status.FAILED
            row.next_attempt_at = now + timedelta(seconds=delay)
            row.save(update_fields=["attempts", "gateway", "worker", "last_error", "status", "next_attempt_at"])
            # Never the text (it may carry a one-time code) and never the full number.
            if give_up:
                logger.error("SMS to %s for %s failed via %s after %d attempt(s), given up: %s", masked,
                             row.purpose, gateway.identifier, row.attempts, reason)
                return Attempt("failed")
            return Attempt("retry", delay)
        row.status = PendingDelivery.Status.SENT
        row.sent_at = now
        row.gateway_message_id = str(message_id or "")[:64]
        row.last_error = ""
        row.text = ""
        row.save(update_fields=["attempts", "gateway", "worker", "status", "sent_at", "gateway_message_id",
                                "last_error", "text"])
    logger.info("SMS to %s for %s sent via %s (message id %s)", masked, row.purpose, gateway.identifier,
                row.gateway_message_id or "-")
    return Attempt("sent")


def record_retry_log(delivery_id: int, attempt: Attempt, *, eager: bool) -> None:
    row = PendingDelivery.objects.filter(pk=delivery_id).only("recipient", "purpose", "gateway", "attempts",
                                                              "last_error").first()
    if row is None:
        return
    if eager:
        # No broker, so nothing retries it in this process: the sweeper (or `manage.py deliver_outbox`) will.
        logger.error("SMS to %s for %s failed via %s: %s (kept in the outbox for a later attempt)",
                     mask_phone(row.recipient), row.purpose, row.gateway, row.last_error)
    else:
        logger.warning("SMS to %s for %s failed via %s (attempt %d, next in %d s): %s", mask_phone(row.recipient),
                       row.purpose, row.gateway, row.attempts, attempt.retry_in, row.last_error)


def sweep(*, now=None, grace: timedelta = SWEEP_GRACE, limit: int = SWEEP_BATCH) -> int:
    """Re-queue pending rows whose attempt was due more than `grace` ago (their task never reached the
    broker, or its worker died). Returns how many were queued. The row lock in `attempt_delivery` keeps a
    merely late original task and its re-queued twin from both sending."""
    now = now or timezone.now()
    ids = list(PendingDelivery.objects.filter(status=PendingDelivery.Status.PENDING,
                                              next_attempt_at__lt=now - grace)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    # Not swept again before another grace period has passed, even if its queue is long.
    PendingDelivery.objects.filter(pk__in=ids, status=PendingDelivery.Status.PENDING).update(next_attempt_at=now)
    queued = sum(1 for pk in ids if enqueue(pk))
    logger.info("outbox sweep: %d of %d overdue message(s) queued", queued, len(ids))
    return queued


def oldest_pending_age_seconds(now=None) -> float:
    """Age of the oldest undelivered message (0 when none): the outbox's health in one number."""
    oldest = (PendingDelivery.objects.filter(status=PendingDelivery.Status.PENDING)
              .order_by("created_at").values_list("created_at", flat=True).first())
    if oldest is None:
        return 0.0
    return max(0.0, ((now or timezone.now()) - oldest).total_seconds())


def post_message(*, user, subject, body, link: str = "") -> Message:
    """Put a message in the user's in-site inbox ("My messages"). `link` is a path on this site.

    `subject` and `body` are texts (`sscard.notify.texts`: a key and parameters, shown in the reader's language
    when read) or plain strings (shown as they are). The text rendered in the user's language is kept too."""
    link = str(link or "")
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError("a message link must be a path on this site, such as /card/applications/12")
    language = language_of(user)
    return Message.objects.create(user=user, subject=render(subject, language)[:200], body=render(body, language),
                                  subject_text=to_json(subject), body_text=to_json(body), link=link)


def mark_read(*, message: Message) -> Message:
    """Mark one message read (once: the first reading time is kept)."""
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


def mark_all_read(*, user) -> int:
    """Mark every unread message of `user` read; returns how many were unread."""
    return Message.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
