"""Make the audit table append-only in the database itself, and create the chain head row.

Vendor-specific triggers (see sscard/audit/guard.py): PostgreSQL and SQLite. Other databases get only the
model-level guard. NOTE for later migrations: on SQLite, altering AuditEvent rebuilds the table and drops its
triggers; such a migration must run `guard.install_sql("sqlite")` again.
"""

from django.db import migrations

from sscard.audit import guard


def install(apps, schema_editor):
    for statement in guard.install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)
    head = apps.get_model("audit", "AuditChainHead")
    event = apps.get_model("audit", "AuditEvent")
    if not head.objects.filter(pk=1).exists() and not event.objects.exists():
        head.objects.create(pk=1, last_seq=0, last_hash=guard_genesis())


def remove(apps, schema_editor):
    for statement in guard.remove_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def guard_genesis() -> str:
    return "0" * 64


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
