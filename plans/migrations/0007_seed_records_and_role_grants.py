"""Fingerprints of what load_seed wrote, and the permissions already granted to the roles.

The role rule (Sekretariat: every domain permission; Läsare: drafts and decisions)
is applied one last time to the permissions existing when this migration runs,
as every migrate did until now, and they are marked as granted: later migrations
no longer re-grant what an administrator removes (plans.apps.grant_new_role_permissions).
"""
import django.db.models.deletion
from django.db import migrations, models


DOMAIN_APPS = ["plans", "calendar_app", "budget"]
READER_PERMISSIONS = ["view_draft", "view_municipaldecision"]
INTERNAL_MODELS = ["seedrecord", "rolegrant"]


def grant_existing_permissions_once(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    RoleGrant = apps.get_model("plans", "RoleGrant")
    existing = list(
        Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
        .exclude(content_type__model__startswith="historical")
        .exclude(content_type__model__in=INTERNAL_MODELS)
    )
    secretariat = Group.objects.filter(name="Sekretariat").first()
    reader = Group.objects.filter(name="Läsare").first()
    if secretariat and reader:
        secretariat.permissions.add(*existing)
        reader.permissions.add(*[p for p in existing if p.codename in READER_PERMISSIONS])
    RoleGrant.objects.bulk_create([RoleGrant(permission=p) for p in existing])


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('plans', '0006_plan_check_confirmation'),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='tilldelad')),
                ('permission', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, to='auth.permission', verbose_name='behörighet')),
            ],
            options={
                'verbose_name': 'tilldelad rollbehörighet',
                'verbose_name_plural': 'tilldelade rollbehörigheter',
            },
        ),
        migrations.CreateModel(
            name='SeedRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('model', models.CharField(max_length=100, verbose_name='modell')),
                ('key', models.CharField(max_length=64, verbose_name='naturlig nyckel (SHA-256)')),
                ('label', models.CharField(max_length=300, verbose_name='post')),
                ('fingerprint', models.CharField(max_length=64, verbose_name='fingeravtryck (SHA-256)')),
                ('loaded_at', models.DateTimeField(auto_now=True, verbose_name='inläst')),
            ],
            options={
                'verbose_name': 'inläst seed-post',
                'verbose_name_plural': 'inlästa seed-poster',
                'constraints': [models.UniqueConstraint(fields=('model', 'key'), name='seedrecord_unique_key')],
            },
        ),
        migrations.RunPython(grant_existing_permissions_once, migrations.RunPython.noop),
    ]
