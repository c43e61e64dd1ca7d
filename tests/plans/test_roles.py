"""The two roles are created complete once; after that an administrator's choices
about their permissions stand, whatever `migrate` runs later."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from plans.apps import role_permissions
from plans.models import Chapter

pytestmark = pytest.mark.django_db


def domain_permissions():
    return role_permissions(Permission.objects.all())


def test_a_fresh_database_has_complete_roles():
    secretariat = Group.objects.get(name="Sekretariat")
    assert set(domain_permissions()) <= set(secretariat.permissions.all())
    assert not secretariat.permissions.filter(content_type__model__startswith="historical").exists()
    reader = set(Group.objects.get(name="Läsare").permissions.values_list("codename", flat=True))
    assert reader == {
        "view_draft", "view_municipaldecision",  # plans not yet decided, the eight decisions
        "view_unapproved", "view_assignment", "view_paragraphadoption",  # meetings: drafts, follow-up
    }


def test_a_permission_an_administrator_removed_stays_removed_after_migrate():
    secretariat = Group.objects.get(name="Sekretariat")
    delete_chapter = Permission.objects.get(codename="delete_chapter")
    secretariat.permissions.remove(delete_chapter)
    Group.objects.get(name="Läsare").permissions.add(Permission.objects.get(codename="view_chapter"))

    call_command("migrate", verbosity=0, interactive=False)

    assert not secretariat.permissions.filter(pk=delete_chapter.pk).exists()
    assert Group.objects.get(name="Läsare").permissions.filter(codename="view_chapter").exists()


def test_a_permission_of_a_new_model_is_still_given_to_the_roles_once():
    """A model added by a later release brings new permissions: those are granted
    by the role rule on the next migrate, then left to the administrator."""
    content_type = ContentType.objects.get_for_model(Chapter)
    new = Permission.objects.create(codename="publish_chapter", name="Kan publicera kapitel", content_type=content_type)
    secretariat = Group.objects.get(name="Sekretariat")

    call_command("migrate", verbosity=0, interactive=False)
    assert secretariat.permissions.filter(pk=new.pk).exists()

    secretariat.permissions.remove(new)
    call_command("migrate", verbosity=0, interactive=False)
    assert not secretariat.permissions.filter(pk=new.pk).exists()
