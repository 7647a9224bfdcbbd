"""`manage.py simulate_hospital`: a designated hospital's information system driving the settlement API, as the
hospital would (sscard/settlement/simulator.py): card reading, registration, pre-settlement, settlement, some
cancellations, then reconciliation of a day.

    manage.py simulate_hospital --institution H42010600001 --key-id k... --secret ... \
        --card A00000001:CHIPID --visits 5 --cancel-every 3 [--base-url http://127.0.0.1:8000] [--reconcile 2026-12-01]

Without --base-url the requests go to this process's application (Django's test client). The secret may be given
in the environment variable SSCARD_SIM_SECRET instead of the command line. Prints what it did and the API's
reconciliation answers; the patients' data is not printed."""

import json
import os

from django.core.management.base import BaseCommand, CommandError

from sscard.settlement import simulator
from sscard.settlement.client import HospitalClient, django_transport, http_transport


class Command(BaseCommand):
    help = "Simulate a hospital's information system calling the settlement API."

    def add_arguments(self, parser):
        parser.add_argument("--institution", required=True)
        parser.add_argument("--key-id", required=True)
        parser.add_argument("--secret", default="")
        parser.add_argument("--card", action="append", default=[], help="card number:card identifier (repeat)")
        parser.add_argument("--visits", type=int, default=1, help="visits per card")
        parser.add_argument("--med-type", default="outpatient", choices=["outpatient", "inpatient"])
        parser.add_argument("--total", type=int, default=12_000, help="bill, fen")
        parser.add_argument("--eligible", type=int, default=10_000, help="inside the insurance's scope, fen")
        parser.add_argument("--cancel-every", type=int, default=0, help="cancel every n-th settlement (0: none)")
        parser.add_argument("--base-url", default="")
        parser.add_argument("--reconcile", default="", help="a past day (YYYY-MM-DD) to reconcile at the end")

    def handle(self, *args, **options):
        secret = options["secret"] or os.environ.get("SSCARD_SIM_SECRET", "")
        if not secret:
            raise CommandError("Give the key's secret (--secret or SSCARD_SIM_SECRET).")
        identities = []
        for card in options["card"]:
            number, _, chip = card.partition(":")
            if not number or not chip:
                raise CommandError("--card takes card number:card identifier")
            identities.append({"card_no": number, "card_sn": chip})
        if options["base_url"]:
            transport = http_transport(options["base_url"])
        else:
            from django.test import Client

            transport = django_transport(Client(HTTP_ACCEPT_LANGUAGE="en"))
        client = HospitalClient(options["institution"], options["key_id"], secret, transport)
        book = simulator.Book()
        n = 0
        for _ in range(options["visits"]):
            for identity in identities:
                n += 1
                every = options["cancel_every"]
                simulator.visit(client, book, identity, med_type=options["med_type"], total=options["total"],
                                eligible=options["eligible"], cancel=bool(every) and n % every == 0)
        summary = {"visits": n, "book": book.totals(), "refusals": dict(book.refusals)}
        if options["reconcile"]:
            totals, detail = simulator.reconcile(client, book, options["reconcile"])
            summary["reconciliation"] = {"totals": totals, "detail": detail}
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
