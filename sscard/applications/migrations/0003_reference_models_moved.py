"""The service settings, partner banks, outlets, holiday calendar and stages now belong to `reference`,
which kept their tables (applications_*) and rows. State only: nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_seed_wuhan_defaults'),
        ('reference', '0001_initial'),
        ('casework', '0004_reference_models_moved'),
        ('cards', '0002_reference_models_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='application',
                    name='bank',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='reference.partnerbank'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='outlet',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            to='reference.outlet'),
                ),
                migrations.DeleteModel(name='Holiday'),
                migrations.DeleteModel(name='Outlet'),
                migrations.DeleteModel(name='PartnerBank'),
                migrations.DeleteModel(name='ServiceSettings'),
                migrations.DeleteModel(name='Stage'),
            ],
        ),
    ]
