"""The secretariat's admin: every list, add and change page answers, and a refused
edit keeps what was typed."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label in ("plans", "calendar_app", "budget")]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_answer_for_a_superuser(admin_client, model):
    info = (model._meta.app_label, model._meta.model_name)
    assert admin_client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200
    # Records written only by the decision flow (archived PDFs, reopenings) have no add page.
    addable = model.__name__ not in ("PlanArchive", "PlanReopening", "PlanCheckConfirmation", "FeeArchive", "FeeArchiveRow")
    assert admin_client.get(reverse("admin:%s_%s_add" % info)).status_code == (200 if addable else 403)
    obj = model.objects.first()
    if obj is not None:
        assert admin_client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200


def test_every_model_of_the_domain_is_in_the_admin():
    # SeedRecord and RoleGrant are bookkeeping of load_seed and of the role rule, not domain records.
    domain = {m for app in ("plans", "calendar_app", "budget") for m in apps.get_app_config(app).get_models()
              if not m.__name__.startswith("Historical") and m.__name__ not in ("SeedRecord", "RoleGrant")}
    assert domain - set(MODELS) == set()


def test_the_secretariat_reaches_the_admin_and_a_reader_does_not(sekretariat, lasare_user, client):
    assert sekretariat.get(reverse("admin:plans_workplan_changelist")).status_code == 200
    client.force_login(lasare_user)
    assert client.get(reverse("admin:plans_workplan_changelist")).status_code == 302


def test_an_event_saved_with_its_end_before_its_start_keeps_the_typed_values(admin_client):
    from plans.models import Body

    body = Body.objects.get(slug="ledningsgruppen")
    response = admin_client.post(reverse("admin:calendar_app_event_add"), {
        "kind": "planning", "body": body.pk, "year": 2021, "date_precision": "span",
        "start_date": "2021-04-08", "end_date": "2021-04-07", "note": "lunch till lunch",
        "start_time": "", "end_time": "",
    })
    assert response.status_code == 200
    assert "Slutdatumet kan inte ligga före startdatumet." in response.content.decode()
    assert 'value="lunch till lunch"' in response.content.decode()
