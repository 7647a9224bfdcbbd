"""`manage.py flush`, with the audit log's append-only guard lifted while the whole database is emptied.

The test runner flushes the database after each transactional test; without this the audit table's
trigger would refuse it. Nothing else lifts the guard.
"""

from django.core.management.commands.flush import Command as FlushCommand

from sscard.audit.guard import purge_permitted


class Command(FlushCommand):
    help = FlushCommand.help + " The audit log is emptied too."

    def handle(self, **options):
        with purge_permitted(options["database"]):
            return super().handle(**options)
