"""`manage.py deliver_outbox`: try every pending outbox message now (the embedded default has no beat)."""

from django.core.management.base import BaseCommand

from sscard.notify import services
from sscard.notify.models import PendingDelivery


class Command(BaseCommand):
    help = "Queue (or, without a broker, deliver at once) every outbox message still pending."

    def handle(self, *args, **options):
        ids = list(PendingDelivery.objects.filter(status=PendingDelivery.Status.PENDING)
                   .order_by("created_at").values_list("pk", flat=True))
        queued = sum(1 for pk in ids if services.enqueue(pk))
        left = PendingDelivery.objects.filter(status=PendingDelivery.Status.PENDING).count()
        self.stdout.write(f"{queued} message(s) queued; {left} still pending")
