"""Card manufacturers now belong to `reference` (same table, casework_manufacturer, and the same
casework_manufacturer_banks); the foreign keys to banks, outlets and manufacturers point at the reference
models. State only: nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0003_identity_correction'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='staffarea',
                    name='outlet',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='+', to='reference.outlet'),
                ),
                migrations.AlterField(
                    model_name='bankexchange',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                            to='reference.partnerbank'),
                ),
                migrations.AlterField(
                    model_name='identitycorrection',
                    name='outlet',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                            to='reference.outlet'),
                ),
                migrations.AlterField(
                    model_name='productionbatch',
                    name='manufacturer',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='batches',
                                            to='reference.manufacturer'),
                ),
                migrations.DeleteModel(name='Manufacturer'),
            ],
        ),
    ]
