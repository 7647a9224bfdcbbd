"""Partner banks now belong to `reference` (same table). State only: nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cards', '0001_initial'),
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='card',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                            to='reference.partnerbank'),
                ),
            ],
        ),
    ]
