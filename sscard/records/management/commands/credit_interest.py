"""`manage.py credit_interest --year 2026`: credit the personal accounts' interest of a year (on 31 December, on
the balance at 1 January). Idempotent: running it again credits nothing more."""

from django.core.management.base import BaseCommand, CommandError

from sscard.records import accounts
from sscard.reference.selectors import NoRatesError


class Command(BaseCommand):
    help = "Credit the pension and medical accounts' interest of a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **options):
        try:
            written = accounts.credit_interest(year=options["year"])
        except NoRatesError:
            raise CommandError(f"no contribution rates for {options['year']}") from None
        self.stdout.write(f"{written} interest credit(s) for {options['year']}")
