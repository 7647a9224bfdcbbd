"""Reading the audit log."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import GENESIS_HASH, AccessEvent, AuditChainHead, AuditEvent


def events_for_subject(subject_type: str, subject_id: str) -> QuerySet[AuditEvent]:
    """The events about one subject (a case, a card, a user), oldest first."""
    return (
        AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
        .select_related("actor")
        .order_by("seq")
    )


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the chain in `seq` order, recompute every hash, and report the first broken link."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = None
        if event.seq != expected_seq:
            missing = event.seq - expected_seq
            problem = (
                f"expected seq={expected_seq} here: {missing} event(s) before it are missing"
                if missing > 0
                else f"expected seq={expected_seq} here: the sequence is out of order"
            )
        elif event.prev_hash != prev_hash:
            problem = "its prev_hash does not match the hash of the event before it"
        elif event.compute_hash() != event.hash:
            problem = "its stored hash does not match its contents (the row was altered)"
        if problem:
            return ChainReport(count=count, first_break=ChainBreak(event.seq, event.pk, problem))
        count += 1
        expected_seq, prev_hash = event.seq + 1, event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (expected_seq - 1, prev_hash):
        if head.last_seq >= expected_seq:
            problem = (f"the chain head records {head.last_seq} events but the log ends at "
                       f"seq={expected_seq - 1}: the last events are missing")
        else:
            problem = f"the chain head (seq={head.last_seq}) does not match the last event"
        return ChainReport(count=count, first_break=ChainBreak(expected_seq, None, problem))
    return ChainReport(count=count, first_break=None)


@dataclass(frozen=True)
class AccessSealReport:
    seals: int
    sealed_rows: int
    unsealed_rows: int
    problem: str | None  # the first seal that does not match the access log, or None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_access_seals() -> AccessSealReport:
    """Recompute every seal of the access log (`audit.access_sealed` events, in chain order): each must
    start where the one before ended and match the rows in its range, count and digest."""
    from .services import ACCESS_SEALED, access_digest

    expected_after, seals, sealed_rows = 0, 0, 0
    for event in AuditEvent.objects.filter(event_type=ACCESS_SEALED).order_by("seq").iterator():
        data = event.data
        after_id, last_id = int(data["after_id"]), int(data["last_id"])
        problem = None
        if after_id != expected_after:
            problem = f"it starts after id={after_id}, the seal before it ended at id={expected_after}"
        else:
            count, digest = access_digest(after_id, last_id)
            if count != data["count"]:
                problem = f"it sealed {data['count']} rows, the log now has {count} in ids {after_id + 1}..{last_id}"
            elif digest != data["sha256"]:
                problem = f"the rows in ids {after_id + 1}..{last_id} were altered"
        if problem:
            return AccessSealReport(seals, sealed_rows, 0, f"access seal at event seq={event.seq}: {problem}")
        seals += 1
        sealed_rows += data["count"]
        expected_after = last_id
    unsealed = AccessEvent.objects.filter(id__gt=expected_after).count()
    return AccessSealReport(seals, sealed_rows, unsealed, None)
