"""Objections (with their lines, evidence and history) and consultation questions; the records officer's two new
permissions; and the retention guard: the database refuses DELETE on the tables of the retention classes
(`sscard.domain.retention`, frozen below) that the append-only guard of 0003 does not already cover."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from sscard.audit import guard

GROUP = "records:officer"
CODENAMES = ["handle_objection", "answer_question"]
RETENTION_FUNCTION = "records_retention_guard"
# Frozen copy of the retention tables at the time of this migration (minus the append-only tables of 0003, which
# refuse DELETE already).
RETENTION_TABLES = (
    "records_employer", "records_employermembership", "records_enrolment", "records_declaration", "records_bill",
    "records_accountbalance", "records_objection", "records_objectionline", "records_objectionevidence",
    "records_objectionstatus", "cards_card", "cards_cardstatuschange", "cards_cardreplacement",
    "cards_cardcancellation",
)


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
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="records", codename__in=CODENAMES))


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="records",
                                                            codename__in=CODENAMES))


def install_retention_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in RETENTION_TABLES:
        for statement in guard.delete_guard_sql(vendor, table, RETENTION_FUNCTION):
            schema_editor.execute(statement, params=None)


def remove_retention_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in RETENTION_TABLES:
        for statement in guard.remove_delete_guard_sql(vendor, table):
            schema_editor.execute(statement, params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {RETENTION_FUNCTION}()", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0007_statements'),
        ('reference', '0012_consultation_objection_settings'),
        ('cards', '0010_ecard_token_use'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Objection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('raised_as', models.CharField(choices=[('person', 'The insured person'), ('employer', 'The employer')], max_length=8)),
                ('id_number', models.CharField(db_index=True, max_length=18)),
                ('reason', models.TextField(verbose_name='reason')),
                ('state', models.CharField(choices=[('submitted', 'Submitted, waiting for a records officer'), ('claimed', 'Being checked by a records officer'), ('corrected', 'Corrected'), ('rejected', 'Not corrected')], default='submitted', max_length=12, verbose_name='state')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('created_at', models.DateTimeField()),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('employer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='records.employer')),
                ('raised_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'objection',
                'verbose_name_plural': 'objections',
                'ordering': ['deadline', 'pk'],
                'permissions': [('handle_objection', 'Can claim and decide objections to records of their areas')],
            },
        ),
        migrations.CreateModel(
            name='ObjectionEvidence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('filename', models.CharField(max_length=255)),
                ('media_type', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('content', models.BinaryField()),
                ('created_at', models.DateTimeField()),
                ('objection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='records.objection')),
            ],
        ),
        migrations.CreateModel(
            name='ObjectionLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('insurance_type', models.CharField(choices=[('pension', 'pension'), ('medical', 'medical'), ('unemployment', 'unemployment'), ('work_injury', 'work_injury')], max_length=12)),
                ('entry_id', models.BigIntegerField()),
                ('entry_version', models.PositiveSmallIntegerField()),
                ('corrected_entry_id', models.BigIntegerField(blank=True, null=True)),
                ('objection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='records.objection')),
            ],
            options={
                'ordering': ['month', 'insurance_type'],
            },
        ),
        migrations.CreateModel(
            name='ObjectionStatus',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True)),
                ('from_state', models.CharField(blank=True, max_length=24)),
                ('to_state', models.CharField(max_length=24)),
                ('note', models.TextField(blank=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('objection', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='history', to='records.objection')),
            ],
            options={
                'verbose_name': 'objection status change',
                'verbose_name_plural': 'objection status changes',
                'ordering': ['at', 'id'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('subject', models.CharField(max_length=120, verbose_name='subject')),
                ('text', models.TextField(verbose_name='question')),
                ('state', models.CharField(choices=[('open', 'Waiting for an answer'), ('answered', 'Answered')], default='open', max_length=10, verbose_name='state')),
                ('deadline', models.DateField(verbose_name='answer due')),
                ('created_at', models.DateTimeField()),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('answer', models.TextField(blank=True, verbose_name='answer')),
                ('rating', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='rating')),
                ('rated_at', models.DateTimeField(blank=True, null=True)),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('asker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.consultationcategory')),
                ('employer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='records.employer')),
            ],
            options={
                'verbose_name': 'consultation question',
                'verbose_name_plural': 'consultation questions',
                'ordering': ['deadline', 'pk'],
                'permissions': [('answer_question', 'Can answer consultation questions')],
            },
        ),
        migrations.AddIndex(
            model_name='objection',
            index=models.Index(fields=['state', 'deadline'], name='records_objection_queue'),
        ),
        migrations.AddConstraint(
            model_name='objectionline',
            constraint=models.UniqueConstraint(fields=('objection', 'month', 'insurance_type'), name='records_objection_line_once'),
        ),
        migrations.AddIndex(
            model_name='question',
            index=models.Index(fields=['state', 'deadline'], name='records_question_queue'),
        ),
        migrations.AddConstraint(
            model_name='question',
            constraint=models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='records_question_rating_1_to_5'),
        ),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(install_retention_guard, remove_retention_guard),
    ]
