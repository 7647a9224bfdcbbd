"""`manage.py reconcile_accounts`: each running balance against the sum of its movements, each paid pension or
medical ledger record against its account credits (and no credit without a paid row). Prints every mismatch
(ID numbers masked) and exits 1 when there is any."""

import sys

from django.core.management.base import BaseCommand

from sscard.records import accounts


class Command(BaseCommand):
    help = "Check the personal accounts against their movements and the contribution ledger."

    def handle(self, *args, **options):
        mismatches = accounts.reconcile()
        for mismatch in mismatches:
            self.stdout.write(mismatch.line())
        if mismatches:
            self.stdout.write(f"{len(mismatches)} mismatch(es)")
            sys.exit(1)
        self.stdout.write("personal accounts reconcile: no mismatch")
