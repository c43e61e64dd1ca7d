from django.apps import AppConfig
from django.db.models.signals import post_migrate

DOMAIN_APPS = ["plans", "calendar_app", "budget"]
READER_PERMISSIONS = ["view_draft", "view_municipaldecision"]


def sync_role_permissions(sender, using="default", **kwargs):
    """Keep the two roles complete as models are added: Sekretariat may do
    everything in the domain apps (history records excepted), Läsare may read
    drafts and the municipalities' decisions. The groups come from a migration."""
    from django.contrib.auth.models import Group, Permission

    secretariat = Group.objects.using(using).filter(name="Sekretariat").first()
    reader = Group.objects.using(using).filter(name="Läsare").first()
    if not (secretariat and reader):
        return
    domain = Permission.objects.using(using).filter(content_type__app_label__in=DOMAIN_APPS).exclude(
        content_type__model__startswith="historical"
    )
    secretariat.permissions.add(*domain)
    reader.permissions.add(*domain.filter(codename__in=READER_PERMISSIONS))


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Planer, program och organisation"

    def ready(self):
        # Registers the Swedish collation on every new SQLite connection.
        import sodertorn.db  # noqa: F401

        post_migrate.connect(sync_role_permissions, dispatch_uid="sodertorn_sync_roles")
