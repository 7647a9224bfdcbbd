"""`manage.py audit_verify`: check the audit log's hash chain from the first event to the last, then the
access log's seals."""

from django.core.management.base import BaseCommand

from sscard.audit.selectors import verify_access_seals, verify_chain


class Command(BaseCommand):
    help = ("Walk the audit log in sequence order, recompute every hash and report the first broken link; "
            "then recompute every seal of the access log.")

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            broken = report.first_break
            event_id = broken.event_id if broken.event_id is not None else "missing"
            self.stderr.write(f"audit chain broken at event seq={broken.seq} (id={event_id}): {broken.problem}")
            raise SystemExit(1)
        self.stdout.write(f"audit chain intact: {report.count} events")
        access = verify_access_seals()
        if not access.intact:
            self.stderr.write(f"access log broken: {access.problem}")
            raise SystemExit(1)
        self.stdout.write(f"access log intact: {access.sealed_rows} rows in {access.seals} seals, "
                          f"{access.unsealed_rows} not sealed yet (sealed every minute by the worker's beat, "
                          "or by `manage.py audit_seal`)")
