"""`manage.py audit_verify`: check the audit log's hash chain from the first event to the last."""

from django.core.management.base import BaseCommand

from sscard.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Walk the audit log in sequence order, recompute every hash and report the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"audit chain intact: {report.count} events")
            return
        broken = report.first_break
        event_id = broken.event_id if broken.event_id is not None else "missing"
        self.stderr.write(f"audit chain broken at event seq={broken.seq} (id={event_id}): {broken.problem}")
        raise SystemExit(1)
