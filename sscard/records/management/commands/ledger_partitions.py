"""`manage.py ledger_partitions [--years N]`: the contribution ledger's yearly partitions for this year and the next
N years on PostgreSQL (sscard/records/partitions.py). Run it once a year (a cron job or Celery beat in December);
migration 0003 created the partitions up to two years ahead. Idempotent: existing partitions are kept.

A month outside every yearly partition lands in the default partition; PostgreSQL then refuses to create that
year's partition (the default's rows would belong to it). The command says so and changes nothing: the rows are
never moved by a script (the ledger is append-only), an operator decides (docs/deploy.md, "Scaling the records").
SQLite has no partitioning: a message, nothing to do.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from sscard.records import partitions


class Command(BaseCommand):
    help = "Create the contribution ledger's yearly partitions for this year and the next N years (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=2, help="years ahead of this one (default 2)")

    def handle(self, *args, **options):
        years = options["years"]
        if years < 0 or years > 50:
            raise CommandError("--years must be between 0 and 50")
        if connection.vendor != "postgresql":
            self.stdout.write(f"{connection.vendor}: the ledger is not partitioned here; nothing to do.")
            return
        this_year = timezone.localdate().year
        wanted = range(this_year, this_year + years + 1)
        with transaction.atomic(), connection.cursor() as cursor:
            existing = set(partitions.existing_years(cursor))
            missing = [year for year in wanted if year not in existing]
            for year in missing:
                cursor.execute(f"SELECT count(*) FROM {partitions.TABLE}_default "
                               "WHERE month >= %s AND month < %s", [f"{year}-01-01", f"{year + 1}-01-01"])
                stray = cursor.fetchone()[0]
                if stray:
                    raise CommandError(f"{stray} ledger rows of {year} are in the default partition: the partition "
                                       f"of {year} cannot be created over them (docs/deploy.md, \"Scaling the "
                                       "records\"). Nothing was changed.")
                cursor.execute(partitions.partition_sql(year))
        for year in missing:
            self.stdout.write(f"created {partitions.partition_name(year)}")
        kept = [year for year in wanted if year in existing]
        if kept:
            self.stdout.write(f"already there: {', '.join(str(y) for y in kept)}")
        self.stdout.write(f"ledger partitions: {min(existing | set(missing))}-{max(existing | set(missing))} "
                          f"({len(existing) + len(missing)} years) and the default partition")
