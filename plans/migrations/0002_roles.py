"""The two roles of the product as Django groups.

Sekretariat edits everything in the admin; Läsare signs in and reads drafts.
Permissions are created here (they normally appear only after migrate), so the
groups are complete on a fresh database.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["plans", "calendar_app", "budget"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Sekretariat")
    reader, _ = Group.objects.get_or_create(name="Läsare")
    # Historical records are kept, never edited: no add/change/delete on them.
    editable = Permission.objects.filter(content_type__app_label__in=APPS).exclude(
        content_type__model__startswith="historical"
    )
    secretariat.permissions.add(*editable)
    draft = Permission.objects.get(codename="view_draft", content_type__app_label="plans")
    reader.permissions.add(draft)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Sekretariat", "Läsare"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("calendar_app", "0001_initial"),
        ("budget", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
