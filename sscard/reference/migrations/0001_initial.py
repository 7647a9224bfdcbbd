"""The reference data models move here from `applications` (and `casework` for Manufacturer) without
touching the database: the tables keep their names (`db_table`) and every row, foreign keys from
applications, casework and cards keep pointing at the same tables. Only Django's idea of which app owns
them changes (state operations); the old apps drop them from their state in their next migration."""

import sscard.reference.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('applications', '0002_seed_wuhan_defaults'),
        ('casework', '0003_identity_correction'),
        ('cards', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Holiday',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='date')),
                        ('is_workday', models.BooleanField(default=False, verbose_name='make-up working day')),
                        ('name', models.CharField(blank=True, max_length=64, verbose_name='name')),
                    ],
                    options={
                        'db_table': 'applications_holiday',
                        'verbose_name': 'holiday or make-up working day',
                        'verbose_name_plural': 'holiday calendar',
                        'ordering': ['date'],
                    },
                ),
                migrations.CreateModel(
                    name='Outlet',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=96, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=128, verbose_name='English name')),
                        ('city', models.CharField(max_length=32, verbose_name='city')),
                        ('district_code', models.CharField(blank=True, max_length=6, verbose_name='district code')),
                        ('address', models.CharField(max_length=200, verbose_name='address')),
                        ('hours', models.CharField(max_length=120, verbose_name='opening hours')),
                        ('phone', models.CharField(blank=True, max_length=32, verbose_name='phone')),
                        ('order', models.PositiveSmallIntegerField(default=100)),
                        ('active', models.BooleanField(default=True)),
                    ],
                    options={
                        'db_table': 'applications_outlet',
                        'verbose_name': 'service outlet',
                        'verbose_name_plural': 'service outlets',
                        'ordering': ['order', 'id'],
                    },
                    bases=(sscard.reference.models.LocalizedNameMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='PartnerBank',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True)),
                        ('name', models.CharField(max_length=64, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=96, verbose_name='English name')),
                        ('order', models.PositiveSmallIntegerField(default=100)),
                        ('active', models.BooleanField(default=True)),
                    ],
                    options={
                        'db_table': 'applications_partnerbank',
                        'verbose_name': 'partner bank',
                        'verbose_name_plural': 'partner banks',
                        'ordering': ['order', 'id'],
                    },
                    bases=(sscard.reference.models.LocalizedNameMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='ServiceSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('processing_days', models.PositiveSmallIntegerField(default=30, verbose_name='processing limit (working days)')),
                        ('first_card_fee_fen', models.PositiveIntegerField(default=0, verbose_name='first card fee (fen)')),
                        ('replacement_fee_fen', models.PositiveIntegerField(default=2000, verbose_name='replacement fee (fen)')),
                        ('guardian_age', models.PositiveSmallIntegerField(default=16, verbose_name='a guardian applies below this age')),
                        ('photo_required_age', models.PositiveSmallIntegerField(default=7, verbose_name='photo required from this age')),
                        ('photo_min_kb', models.PositiveSmallIntegerField(default=14, verbose_name='photo file size minimum (KB)')),
                        ('photo_max_kb', models.PositiveSmallIntegerField(default=40, verbose_name='photo file size maximum (KB)')),
                        ('upload_max_mb', models.PositiveSmallIntegerField(default=10, verbose_name='largest photo upload (MB)')),
                        ('transit_cities', models.TextField(blank=True, default='', verbose_name='cities where the card works as a bus card (one per line)')),
                        ('progress_lookups_per_minute', models.PositiveSmallIntegerField(default=30, verbose_name='progress look-ups per client per minute')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'applications_servicesettings',
                        'verbose_name': 'service settings',
                        'verbose_name_plural': 'service settings',
                    },
                ),
                migrations.CreateModel(
                    name='Stage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(choices=[('submitted', 'Submitted'), ('under_review', 'Under review'), ('returned', 'Returned for correction'), ('resubmitted', 'Resubmitted'), ('bank_preopening', 'Bank account pre-opening'), ('bank_failed', 'Bank check failed'), ('in_production', 'In production'), ('ready_for_pickup', 'Ready for pick-up'), ('posted', 'Posted'), ('collected', 'Collected'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], max_length=24, unique=True)),
                        ('order', models.PositiveSmallIntegerField()),
                        ('label', models.CharField(max_length=64, verbose_name='staff label')),
                        ('plain_stage', models.CharField(choices=[('submitted', 'Submitted'), ('in_review', 'Being reviewed'), ('action_needed', 'Your action is needed'), ('in_production', 'Card being made'), ('ready', 'Card on its way / ready'), ('completed', 'Completed'), ('closed', 'Closed')], max_length=24, verbose_name='stage the citizen sees')),
                        ('lead_days', models.PositiveSmallIntegerField(default=0, verbose_name='usual duration (working days)')),
                        ('notify_citizen', models.BooleanField(default=False, verbose_name='notify the citizen')),
                    ],
                    options={
                        'db_table': 'applications_stage',
                        'verbose_name': 'stage',
                        'verbose_name_plural': 'stages',
                        'ordering': ['order'],
                    },
                ),
                migrations.CreateModel(
                    name='Manufacturer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True)),
                        ('name', models.CharField(max_length=96, verbose_name='name')),
                        ('is_default', models.BooleanField(default=False, verbose_name='makes the cards of banks no other manufacturer takes')),
                        ('active', models.BooleanField(default=True)),
                        ('banks', models.ManyToManyField(blank=True, related_name='+', to='reference.partnerbank')),
                    ],
                    options={
                        'db_table': 'casework_manufacturer',
                        'verbose_name': 'card manufacturer',
                        'verbose_name_plural': 'card manufacturers',
                        'ordering': ['code'],
                    },
                ),
            ],
        ),
    ]
