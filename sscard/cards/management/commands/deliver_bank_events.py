"""`manage.py deliver_bank_events [--all] [--reconcile]`: what beat does for the bank card events, by hand (the
embedded default has no beat): push the due events to the http banks (`--all`: every pending one, due or
not), and with `--reconcile` fetch each http bank's frozen cards and reconcile."""

from django.core.management.base import BaseCommand

from sscard.cards import bank_incoming, bank_outbox
from sscard.cards.bank_events import registry
from sscard.cards.models import BankCardEvent


class Command(BaseCommand):
    help = "Push pending card events to the http banks; optionally run the freeze reconciliation."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every pending event, not only the due ones")
        parser.add_argument("--reconcile", action="store_true", help="also reconcile the http banks' freezes")

    def handle(self, *args, **options):
        if options["all"]:  # here, in this process: one attempt each
            pending = BankCardEvent.objects.filter(status=BankCardEvent.Status.PENDING,
                                                   adapter__in=registry.pushing_ids()).values_list("pk", flat=True)
            outcomes = [bank_outbox.attempt_delivery(pk) for pk in list(pending)]
            self.stdout.write(f"{outcomes.count('acknowledged')} of {len(outcomes)} card event(s) acknowledged")
        else:
            self.stdout.write(f"{bank_outbox.sweep()} card event(s) handed to delivery")
        if options["reconcile"]:
            self.stdout.write(f"{bank_incoming.reconcile_http_banks()} bank(s) reconciled")
