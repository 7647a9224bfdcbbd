"""Finish the move: the content types of the moved models (and with them their permissions, the groups
holding them and the admin log) now name `reference`; and the stage's free-text staff label, which no page
read, is dropped (the stage is named by the translated label of its state)."""

from django.db import migrations, models

MOVED = {"applications": ["holiday", "outlet", "partnerbank", "servicesettings", "stage"],
         "casework": ["manufacturer"]}


def rename_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old_app, models in MOVED.items():
        for model in models:
            old = ContentType.objects.filter(app_label=old_app, model=model).first()
            if old is None:
                continue  # a new database: content types are created after the migrations
            new = ContentType.objects.filter(app_label="reference", model=model).first()
            if new is None:
                old.app_label = "reference"
                old.save(update_fields=["app_label"])
                continue
            # Both exist (post_migrate ran in between): keep the new one, move over what it lacks.
            for permission in Permission.objects.filter(content_type=old):
                twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
                if twin is None:
                    permission.content_type = new
                    permission.save(update_fields=["content_type"])
                else:
                    for group in permission.group_set.all():
                        group.permissions.add(twin)
                    for user in permission.user_set.all():
                        user.user_permissions.add(twin)
                    permission.delete()
            old.delete()


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, models in MOVED.items():
        ContentType.objects.filter(app_label="reference", model__in=models).update(app_label=old_app)


class Migration(migrations.Migration):

    dependencies = [
        ('reference', '0001_initial'),
        ('applications', '0003_reference_models_moved'),
        ('casework', '0004_reference_models_moved'),
        ('cards', '0002_reference_models_moved'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(rename_content_types, restore_content_types),
        # A default first, so that migrating back can re-create the column on existing rows.
        migrations.AlterField(model_name='stage', name='label',
                              field=models.CharField(blank=True, default='', max_length=64, verbose_name='staff label')),
        migrations.RemoveField(model_name='stage', name='label'),
    ]
