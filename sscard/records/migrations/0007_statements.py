"""Yearly statements: the statement rows, the batch and its chunks; the permission to run the batch, given to the
records officer and the supervisor groups (created here when missing)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Frozen at the time of this migration.
GROUPS = ["records:officer", "casework:supervisor"]
CODENAME = "run_statements"


def seed(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("records")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="records", codename=CODENAME)
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def unseed(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="records", codename=CODENAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0006_queries'),
        ('casework', '0002_seed_roles_and_manufacturer'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StatementBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('state', models.CharField(choices=[('planning', 'Planning'), ('running', 'Running'), ('done', 'Done')], default='planning', max_length=10, verbose_name='state')),
                ('chunk_size', models.PositiveIntegerField(default=500)),
                ('persons', models.PositiveIntegerField(default=0)),
                ('chunks', models.PositiveIntegerField(default=0)),
                ('started_at', models.DateTimeField()),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('started_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'statement batch',
                'verbose_name_plural': 'statement batches',
                'ordering': ['-started_at'],
                'permissions': [('run_statements', 'Can start and resume the yearly statement batch')],
            },
        ),
        migrations.CreateModel(
            name='Statement',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('id_number', models.CharField(max_length=18)),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('kind', models.CharField(choices=[('yearly', 'Yearly statement'), ('on_demand', 'Statement on request')], max_length=10, verbose_name='kind')),
                ('serial', models.CharField(max_length=20, unique=True, verbose_name='statement number')),
                ('contents', models.BinaryField()),
                ('kid', models.CharField(max_length=40)),
                ('signature', models.BinaryField()),
                ('code', models.TextField()),
                ('created_at', models.DateTimeField()),
                ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.statementbatch')),
            ],
            options={
                'verbose_name': 'statement',
                'verbose_name_plural': 'statements',
            },
        ),
        migrations.CreateModel(
            name='StatementChunk',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField()),
                ('first_id', models.CharField(max_length=18)),
                ('last_id', models.CharField(max_length=18)),
                ('persons', models.PositiveIntegerField()),
                ('state', models.CharField(choices=[('pending', 'Pending'), ('done', 'Done')], default='pending', max_length=8)),
                ('made', models.PositiveIntegerField(default=0)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='chunk_rows', to='records.statementbatch')),
            ],
            options={
                'verbose_name': 'statement chunk',
                'verbose_name_plural': 'statement chunks',
            },
        ),
        migrations.AddConstraint(
            model_name='statementbatch',
            constraint=models.UniqueConstraint(fields=('year',), name='records_one_statement_batch_per_year'),
        ),
        migrations.AddConstraint(
            model_name='statement',
            constraint=models.UniqueConstraint(fields=('id_number', 'year', 'kind'), name='records_one_statement'),
        ),
        migrations.AddIndex(
            model_name='statementchunk',
            index=models.Index(fields=['batch', 'state'], name='records_stmt_chunk_state'),
        ),
        migrations.AddConstraint(
            model_name='statementchunk',
            constraint=models.UniqueConstraint(fields=('batch', 'number'), name='records_statement_chunk_once'),
        ),
        migrations.RunPython(seed, unseed),
    ]
