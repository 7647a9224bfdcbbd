import csv

from django.core.management.base import BaseCommand, CommandError

from sscard.accounts.services_population import import_population


class Command(BaseCommand):
    help = "Import the population register (CSV with columns id_number,name) used by the 'register' identity provider."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument("--replace", action="store_true", help="remove records that are not in the file")

    def handle(self, csv_path, replace=False, **options):
        try:
            with open(csv_path, newline="", encoding="utf-8-sig") as handle:
                result = import_population(rows=csv.DictReader(handle), replace=replace)
        except FileNotFoundError:
            raise CommandError(f"no such file: {csv_path}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"imported {result.created} new, {result.updated} updated, {result.removed} removed")
