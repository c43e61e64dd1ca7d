from django.apps import AppConfig
from django.db.models.signals import post_migrate

DOMAIN_APPS = ["plans", "calendar_app", "budget", "meetings"]
READER_PERMISSIONS = [
    "view_draft", "view_municipaldecision",
    # meetings: unapproved minutes and handlingar, the follow-up
    "view_unapproved", "view_assignment", "view_paragraphadoption",
]
# Bookkeeping of load_seed and of this rule; not part of any role.
INTERNAL_MODELS = ["seedrecord", "rolegrant"]


def role_permissions(permissions):
    """Of `permissions`, those the role rule covers: the domain apps' models,
    history records and bookkeeping excepted."""
    return permissions.filter(content_type__app_label__in=DOMAIN_APPS).exclude(
        content_type__model__startswith="historical"
    ).exclude(content_type__model__in=INTERNAL_MODELS)


def grant_new_role_permissions(sender, using="default", **kwargs):
    """Give the two roles the permissions of models added since the last migrate:
    Sekretariat may do everything in the domain apps (history records excepted),
    Läsare may read drafts and the municipalities' decisions.

    Each permission is granted once, when it first appears (`RoleGrant` remembers
    it), so a permission an administrator later removes from a role stays removed.
    The groups come from a migration; that migration also marks the permissions
    existing then as granted."""
    from django.contrib.auth.models import Group, Permission

    from plans.models import RoleGrant

    secretariat = Group.objects.using(using).filter(name="Sekretariat").first()
    reader = Group.objects.using(using).filter(name="Läsare").first()
    if not (secretariat and reader):
        return
    new = list(role_permissions(Permission.objects.using(using).filter(rolegrant__isnull=True)))
    if not new:
        return
    secretariat.permissions.add(*new)
    reader.permissions.add(*[p for p in new if p.codename in READER_PERMISSIONS])
    RoleGrant.objects.using(using).bulk_create([RoleGrant(permission=p) for p in new])


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Planer, program och organisation"

    def ready(self):
        # Registers the Swedish collation on every new SQLite connection.
        import sodertorn.db  # noqa: F401

        post_migrate.connect(grant_new_role_permissions, dispatch_uid="sodertorn_grant_new_role_permissions")
