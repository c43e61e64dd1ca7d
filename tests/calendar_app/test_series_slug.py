"""A decided plan's host tables name their series by slug (WorkPlan.rotation_years):
renaming that slug would silently empty the tables of a public document, so it is
refused on every path while a decided plan prints the series."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calendar_app.models import EventSeries
from sodertorn.lock import lock_bypass
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

MESSAGE = ("Kortnamnet ”sodertorns-radslag” knyter seriens värdskap till tabellerna i verksamhetsplanerna "
           "för 2010, 2012, 2017 och 2019, som är beslutade; det kan inte ändras. Byt namnet i stället.")


@pytest.fixture
def radslag():
    return EventSeries.objects.get(slug="sodertorns-radslag")


def test_save_refuses_a_new_slug_for_a_series_that_decided_plans_print(radslag):
    radslag.slug = "radslaget"
    with pytest.raises(ValidationError) as refused:
        radslag.save()
    assert refused.value.message_dict["slug"] == [MESSAGE]
    with pytest.raises(ValidationError):
        radslag.full_clean()
    assert EventSeries.objects.filter(slug="sodertorns-radslag").exists()


def test_a_bulk_update_of_the_slug_is_refused_too(radslag):
    with pytest.raises(ValidationError):
        EventSeries.objects.filter(pk=radslag.pk).update(slug="radslaget")
    assert EventSeries.objects.get(pk=radslag.pk).slug == "sodertorns-radslag"


def test_the_admin_shows_the_refusal_and_keeps_the_slug(client, django_user_model, radslag):
    client.force_login(django_user_model.objects.create_superuser("chef", "chef@example.se", "x"))
    url = reverse("admin:calendar_app_eventseries_change", args=[radslag.pk])
    data = admin_form_data(client, url) | {"slug": "radslaget"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert EventSeries.objects.get(pk=radslag.pk).slug == "sodertorns-radslag"


def test_the_name_and_other_series_stay_editable(radslag):
    radslag.name = "Södertörns rådslag (årligt)"
    radslag.save()
    nyckeltal = EventSeries.objects.get(slug="nyckeltalsdagen")  # no decided plan prints its hosts
    nyckeltal.slug = "nyckeltal-sodertorn"
    nyckeltal.save()
    EventSeries.objects.filter(pk=nyckeltal.pk).update(slug="nyckeltalsdag")
    assert EventSeries.objects.filter(slug="nyckeltalsdag").exists()


def test_a_data_migration_may_still_rename_it(radslag):
    with lock_bypass():
        radslag.slug = "radslaget"
        radslag.save()
    assert EventSeries.objects.get(pk=radslag.pk).slug == "radslaget"
