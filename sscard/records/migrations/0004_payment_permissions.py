"""Payments and corrections of the contribution ledger: two permissions (on Payment), given to the records
officer group seeded by migration 0002."""

from django.db import migrations

# Frozen copy of the records officer's new permissions at the time of this migration.
GROUP = "records:officer"
CODENAMES = ["record_payment", "correct_ledger"]


def seed(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create this app's now to use them here.
    app_config = apps.get_app_config("records")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="records", codename__in=CODENAMES))


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="records",
                                                            codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_declarations_ledger_accounts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="payment",
            options={
                "permissions": [
                    ("record_payment", "Can import bank payment files and enter payments of bills of their areas"),
                    ("correct_ledger", "Can correct a contribution ledger row (a new version with a reason)"),
                ],
                "verbose_name": "payment",
                "verbose_name_plural": "payments",
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
