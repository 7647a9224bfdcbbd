"""One group per back office role with its permissions, and a default card manufacturer for every bank."""

from django.db import migrations

# Frozen copy of sscard.casework.roles at the time of this migration.
ROLE_PERMISSIONS = {
    "reviewer": ["use_workbench", "claim_case", "review_case", "manage_deadline", "reveal_personal_data"],
    "production": ["use_workbench", "claim_case", "bank_exchange", "production_batch", "dispatch_post"],
    "clerk": ["use_workbench", "outlet_counter", "reveal_personal_data"],
    "supervisor": ["use_workbench", "claim_case", "assign_case", "review_case", "confirm_rejection",
                   "manage_deadline", "send_back_to_review", "bank_exchange", "production_batch", "dispatch_post",
                   "outlet_counter", "reveal_personal_data", "view_dashboard"],
    "auditor": ["use_workbench", "view_all_areas", "view_dashboard"],
}


def seed(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; create this app's now to use them here.
    app_config = apps.get_app_config("casework")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    try:
        create_permissions(app_config, verbosity=0, apps=apps)
    finally:
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=f"casework:{role}")
        group.permissions.set(Permission.objects.filter(content_type__app_label="casework",
                                                        codename__in=codenames))

    try:
        Manufacturer = apps.get_model("casework", "Manufacturer")
    except LookupError:  # moved to `reference` in issue 10 (the tests re-seed with the current models)
        Manufacturer = apps.get_model("reference", "Manufacturer")
    Manufacturer.objects.get_or_create(code="default", defaults={"name": "Default card manufacturer",
                                                                 "is_default": True})


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__startswith="casework:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
