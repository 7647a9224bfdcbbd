"""The citizen is told when the review is done (issue 11): the stage reached on approval, bank account
pre-opening, now notifies the citizen ("review passed"). Before, the first message after "application
received" was "in production". New installations get it from applications 0002; this turns it on where
that migration ran with the old default."""

from django.db import migrations


def notify_on_approval(apps, schema_editor):
    Stage = apps.get_model("reference", "Stage")
    Stage.objects.filter(code="bank_preopening").update(notify_citizen=True)


class Migration(migrations.Migration):
    dependencies = [("reference", "0004_translated_manufacturer_names")]

    operations = [migrations.RunPython(notify_on_approval, migrations.RunPython.noop)]
