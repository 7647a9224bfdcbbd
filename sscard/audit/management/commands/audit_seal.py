"""`manage.py audit_seal`: seal the access log's new rows into the audit chain now (beat does it every
minute in production)."""

from django.core.management.base import BaseCommand

from sscard.audit.services import SEAL_DELAY_SECONDS, seal_access_events


class Command(BaseCommand):
    help = "Seal the access events written since the last seal into the audit chain."

    def handle(self, *args, **options):
        seals = seal_access_events()
        rows = sum(seal.data["count"] for seal in seals)
        if not seals:
            self.stdout.write(f"nothing to seal (access events younger than {SEAL_DELAY_SECONDS} s wait for the next "
                              "seal)")
            return
        self.stdout.write(f"sealed {rows} access events in {len(seals)} seal event(s)")
