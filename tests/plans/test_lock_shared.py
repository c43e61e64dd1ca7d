"""The lock (plans/lock.py) on rows a decided plan shows without owning them: the
host rotations, shared between plans, locked for the series and years each decided
plan printed (WorkPlan.rotation_ranges); and the delmål a plan sets (Goal.set_in_plan).
Through the ORM and through the admin, as tests/plans/test_lock.py and
tests/plans/test_lock_admin.py do for the plan's own parts."""
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from calendar_app.models import EventSeries, HostRotation
from calendar_app.selectors import rotations_for_plan
from sodertorn.lock import lock_bypass
from plans.models import Goal, Municipality, WorkPlan
from secretariat.services import work_plan_copy_to_year, work_plan_reopen
from tests.admin_forms import admin_form_data, errors_of, messages_of

pytestmark = pytest.mark.django_db

LOCKED = "är beslutad och låst"
ROTATION_2019 = ("Verksamhetsplanen för 2019 är beslutad och låst: värdskap som planen visar kan inte ändras, "
                 "läggas till, flyttas in eller ut eller raderas. Öppna planen igen med ett skäl (”Öppna igen” "
                 "på planens sida i administrationen) om något måste ändras.")
GOAL_2019 = ("Verksamhetsplanen för 2019 är beslutad och låst: delmål som planen fastställer kan inte ändras, "
             "läggas till, flyttas in eller ut eller raderas.")


def _rotation(slug, year):
    return HostRotation.objects.get(series__slug=slug, year=year)


def _snapshot(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


def _hosts(rotation):
    return set(rotation.hosts.values_list("pk", flat=True))


def _other_member(rotation):
    return Municipality.objects.members().exclude(pk__in=_hosts(rotation)).order_by("name").first()


@pytest.fixture
def konferensen_2020():
    """Shown only by the 2019 plan (Södertörnskonferensen 2019–2022)."""
    return _rotation("sodertornskonferensen", 2020)


@pytest.fixture
def radslag_2027():
    """A year no decided plan shows (Södertörns rådslag is printed up to 2026)."""
    return HostRotation.objects.create(series=EventSeries.objects.get(slug="sodertorns-radslag"), year=2027)


@pytest.fixture
def radslag_2018_missing():
    """Rådslag 2018, shown by the 2012 and 2017 plans, removed by the seed loader's bypass
    so that a new row can be tried in its place."""
    rotation = _rotation("sodertorns-radslag", 2018)
    with lock_bypass():
        rotation.delete()
    return EventSeries.objects.get(slug="sodertorns-radslag")


@pytest.fixture
def set_goal(plan_2019):
    return Goal.objects.filter(set_in_plan=plan_2019).order_by("pk").first()


@pytest.fixture
def programme_goal():
    return Goal.objects.filter(set_in_plan__isnull=True).order_by("pk").first()


# -- host rotations through the ORM ----------------------------------------------


def test_a_rotation_a_decided_plan_shows_refuses_save_and_names_the_plan(konferensen_2020):
    before = _snapshot(konferensen_2020)
    konferensen_2020.note = "Ändrad"
    with pytest.raises(ValidationError) as refused:
        konferensen_2020.save()
    assert refused.value.messages == [ROTATION_2019]
    with pytest.raises(ValidationError, match=LOCKED):
        konferensen_2020.full_clean()
    assert _snapshot(konferensen_2020) == before


def test_a_rotation_shown_by_several_decided_plans_names_them_all():
    rotation = _rotation("sodertorns-radslag", 2017)  # printed by the plans of 2010, 2012 and 2017
    rotation.note = "Ändrad"
    with pytest.raises(ValidationError) as refused:
        rotation.save()
    assert refused.value.messages[0].startswith(
        "Verksamhetsplanerna för 2010, 2012 och 2017 är beslutade och låsta: värdskap som planerna visar kan inte ändras")


def test_bulk_writes_to_a_shown_rotation_are_refused(konferensen_2020):
    before = _snapshot(konferensen_2020)
    count = HostRotation.objects.count()
    with pytest.raises(ValidationError, match=LOCKED):
        HostRotation.objects.filter(pk=konferensen_2020.pk).update(note="Ändrad")
    with pytest.raises(ValidationError, match=LOCKED):
        HostRotation.objects.filter(series__slug="sodertornskonferensen").update(note="Ändrad")
    konferensen_2020.note = "Ändrad"
    with pytest.raises(ValidationError, match=LOCKED):
        HostRotation.objects.bulk_update([konferensen_2020], ["note"])
    with pytest.raises(ValidationError, match=LOCKED):
        HostRotation.objects.filter(pk=konferensen_2020.pk).delete()
    with pytest.raises(ValidationError, match=LOCKED):
        HostRotation.objects.get(pk=konferensen_2020.pk).delete()
    assert _snapshot(konferensen_2020) == before
    assert HostRotation.objects.count() == count


def test_a_rotation_cannot_be_added_inside_a_printed_range(radslag_2018_missing):
    count = HostRotation.objects.count()
    with pytest.raises(ValidationError) as refused:
        HostRotation(series=radslag_2018_missing, year=2018, note="Ny").save()
    assert refused.value.messages[0].startswith("Verksamhetsplanerna för 2012 och 2017 är beslutade och låsta")
    with pytest.raises(ValidationError, match="2012 och 2017 är beslutade och låsta"):
        HostRotation.objects.bulk_create([HostRotation(series=radslag_2018_missing, year=2018)])
    with pytest.raises(ValidationError, match="2012 och 2017 är beslutade och låsta"):
        HostRotation.objects.create(series=radslag_2018_missing, year=2018)
    assert HostRotation.objects.count() == count


def test_a_rotation_cannot_be_moved_into_or_out_of_a_printed_range(radslag_2018_missing, radslag_2027):
    before = _snapshot(radslag_2027)
    radslag_2027.year = 2018
    with pytest.raises(ValidationError, match="2012 och 2017 är beslutade och låsta"):
        radslag_2027.save()
    with pytest.raises(ValidationError, match="2012 och 2017 är beslutade och låsta"):
        HostRotation.objects.filter(pk=radslag_2027.pk).update(year=2018)
    assert _snapshot(radslag_2027) == before
    shown = _rotation("sodertorns-radslag", 2026)  # printed by the 2019 plan only
    shown_before = _snapshot(shown)
    shown.year = 2028
    with pytest.raises(ValidationError, match="Verksamhetsplanen för 2019 är beslutad och låst"):
        shown.save()
    assert _snapshot(shown) == shown_before


def test_the_hosts_of_a_shown_rotation_are_locked_from_both_sides(konferensen_2020):
    hosts = _hosts(konferensen_2020)
    host = Municipality.objects.get(pk=min(hosts))
    other = _other_member(konferensen_2020)
    # (in a transaction, as in a request: the refusal rolls the relation's write back)
    for change in (
        lambda: konferensen_2020.hosts.add(other),
        lambda: konferensen_2020.hosts.remove(host),
        lambda: konferensen_2020.hosts.clear(),
        lambda: konferensen_2020.hosts.set([other]),
        lambda: other.host_rotations.add(konferensen_2020),  # the reverse side
        lambda: host.host_rotations.remove(konferensen_2020),
    ):
        with pytest.raises(ValidationError, match=ROTATION_2019[:40]), transaction.atomic():
            change()
    # The host's every rotation: those of all the decided plans.
    with pytest.raises(ValidationError, match="Verksamhetsplanerna för 2010, 2012, 2017 och 2019 är beslutade och låsta"), \
            transaction.atomic():
        host.host_rotations.clear()
    assert _hosts(konferensen_2020) == hosts
    assert host.host_rotations.filter(pk=konferensen_2020.pk).exists()


def test_a_rotation_no_decided_plan_shows_stays_editable(radslag_2027, konferensen_2020):
    other = _other_member(konferensen_2020)
    radslag_2027.note = "Preliminärt"
    radslag_2027.full_clean()
    radslag_2027.save()
    radslag_2027.hosts.add(other)
    other.host_rotations.remove(radslag_2027)
    HostRotation.objects.filter(pk=radslag_2027.pk).update(note="Fastställt")
    konferensen_2023 = HostRotation.objects.create(series=konferensen_2020.series, year=2023)  # printed to 2022
    konferensen_2023.hosts.add(other)
    nyckeltal = HostRotation.objects.create(series=EventSeries.objects.get(slug="nyckeltalsdagen"), year=2019)
    assert HostRotation.objects.get(pk=radslag_2027.pk).note == "Fastställt"
    radslag_2027.delete()
    nyckeltal.delete()


def test_a_decided_plan_without_printed_years_locks_its_year_and_the_years_ahead(plan_2019):
    """Without rotation_years a plan shows every series from its year to seven years
    ahead: the lock follows the same rule as the plan's page."""
    with lock_bypass():
        plan_2019.rotation_years = {}
        plan_2019.save()
    nyckeltal = EventSeries.objects.get(slug="nyckeltalsdagen")
    with pytest.raises(ValidationError, match="Verksamhetsplanen för 2019 är beslutad och låst"):
        HostRotation.objects.create(series=nyckeltal, year=2026)
    HostRotation.objects.create(series=nyckeltal, year=2027)  # beyond 2019 + 7
    shown = {(r.series.slug, r.year) for group in rotations_for_plan(plan_2019) for r in group["rotations"]}
    assert ("sodertorns-radslag", 2019) in shown and ("sodertorns-radslag", 2026) in shown
    assert ("nyckeltalsdagen", 2027) not in shown


def test_every_rotation_a_decided_plan_shows_is_locked_with_it():
    for plan in WorkPlan.objects.filter(status=WorkPlan.Status.DECIDED):
        rotations = [r for group in rotations_for_plan(plan) for r in group["rotations"]]
        assert rotations
        assert all(plan.year in r._saved_lock_years() for r in rotations), plan.year


def test_reopening_the_plan_unlocks_the_rotations_only_it_shows(plan_2019, konferensen_2020):
    work_plan_reopen(plan=plan_2019, reason="Fel värdkommun.", user=User.objects.create_user("sekr"))
    konferensen_2020.note = "Ändrad"
    konferensen_2020.save()
    konferensen_2020.hosts.add(_other_member(konferensen_2020))
    assert HostRotation.objects.get(pk=konferensen_2020.pk).note == "Ändrad"
    radslag_2020 = _rotation("sodertorns-radslag", 2020)  # the 2017 plan still shows it
    radslag_2020.note = "Ändrad"
    with pytest.raises(ValidationError, match="Verksamhetsplanen för 2017 är beslutad och låst"):
        radslag_2020.save()


def test_the_seed_loader_writes_past_the_lock_of_rotations(konferensen_2020):
    with lock_bypass():
        konferensen_2020.note = "Av seed-laddaren"
        konferensen_2020.save()
        konferensen_2020.hosts.clear()
    assert _hosts(konferensen_2020) == set()


# -- host rotations through the admin ---------------------------------------------


def test_the_change_form_of_a_shown_rotation_says_why_and_refuses_the_post(sekretariat, konferensen_2020):
    url = reverse("admin:calendar_app_hostrotation_change", args=[konferensen_2020.pk])
    page = sekretariat.get(url)
    assert ROTATION_2019 in messages_of(page)
    response = sekretariat.post(url, {"series": konferensen_2020.series_id, "year": 2020, "note": "Ändrad",
                                      "hosts": [_other_member(konferensen_2020).pk]})
    assert response.status_code == 403
    assert HostRotation.objects.get(pk=konferensen_2020.pk).note == konferensen_2020.note
    assert _hosts(konferensen_2020) != {_other_member(konferensen_2020).pk}


def test_a_shown_rotation_cannot_be_deleted_in_the_admin(sekretariat, admin_client, konferensen_2020):
    count = HostRotation.objects.count()
    url = reverse("admin:calendar_app_hostrotation_delete", args=[konferensen_2020.pk])
    assert sekretariat.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(reverse("admin:calendar_app_hostrotation_changelist"), {
        "action": "delete_selected", "_selected_action": [konferensen_2020.pk], "post": "yes",
    }, follow=True)
    assert ROTATION_2019 in messages_of(response)
    assert HostRotation.objects.count() == count


def test_the_series_inline_refuses_new_hosts_for_a_shown_rotation(sekretariat, konferensen_2020):
    series = konferensen_2020.series
    url = reverse("admin:calendar_app_eventseries_change", args=[series.pk])
    data = admin_form_data(sekretariat, url)
    index = next(i for i in range(int(data["rotations-TOTAL_FORMS"]))
                 if str(data[f"rotations-{i}-id"]) == str(konferensen_2020.pk))
    hosts = _hosts(konferensen_2020)
    data[f"rotations-{index}-hosts"] = [_other_member(konferensen_2020).pk]
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert ROTATION_2019 in errors_of(response)
    assert _hosts(konferensen_2020) == hosts


def test_the_series_inline_refuses_a_new_rotation_inside_a_printed_range(sekretariat, radslag_2018_missing):
    url = reverse("admin:calendar_app_eventseries_change", args=[radslag_2018_missing.pk])
    data = admin_form_data(sekretariat, url)
    new = int(data["rotations-TOTAL_FORMS"])
    data["rotations-TOTAL_FORMS"] = new + 1
    data.update({f"rotations-{new}-series": radslag_2018_missing.pk, f"rotations-{new}-year": 2018,
                 f"rotations-{new}-hosts": [Municipality.objects.members().order_by("name").first().pk]})
    count = HostRotation.objects.count()
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Verksamhetsplanerna för 2012 och 2017 är beslutade och låsta" in errors_of(response)
    assert HostRotation.objects.count() == count


def test_a_rotation_no_decided_plan_shows_is_edited_in_its_versioned_change_form(sekretariat, radslag_2027):
    url = reverse("admin:calendar_app_hostrotation_change", args=[radslag_2027.pk])
    data = admin_form_data(sekretariat, url)
    assert data["loaded_version"] == radslag_2027.version
    data["note"] = "Preliminärt"
    data["hosts"] = [Municipality.objects.members().order_by("name").first().pk]
    assert sekretariat.post(url, data).status_code == 302
    radslag_2027.refresh_from_db()
    assert (radslag_2027.note, radslag_2027.version) == ("Preliminärt", 2)
    # A second editor who loaded the first version is refused, keeping their input.
    data["note"] = "Något annat"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Någon annan har sparat" in errors_of(response)
    assert HostRotation.objects.get(pk=radslag_2027.pk).note == "Preliminärt"


# -- delmål set in a decided plan --------------------------------------------------


def test_a_goal_set_in_a_decided_plan_refuses_every_write(set_goal):
    before = _snapshot(set_goal)
    count = Goal.objects.count()
    set_goal.title = "Ändrat delmål"
    with pytest.raises(ValidationError) as refused:
        set_goal.save()
    assert refused.value.messages[0].startswith(GOAL_2019)
    with pytest.raises(ValidationError, match=LOCKED):
        set_goal.full_clean()
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.bulk_update([set_goal], ["title"])
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.filter(pk=set_goal.pk).update(title="Ändrat delmål")
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.filter(pk=set_goal.pk).delete()
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.get(pk=set_goal.pk).delete()
    assert _snapshot(set_goal) == before
    assert Goal.objects.count() == count


def test_a_goal_cannot_be_created_into_a_decided_plan(set_goal, plan_2019):
    count = Goal.objects.count()

    def new():
        return Goal(programme=set_goal.programme, level=set_goal.level, parent=set_goal.parent,
                    title="Nytt delmål", set_in_plan=plan_2019)

    with pytest.raises(ValidationError, match=GOAL_2019[:60]):
        new().save()
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.bulk_create([new()])
    assert Goal.objects.count() == count


def test_a_goal_cannot_be_moved_into_or_out_of_a_decided_plan(set_goal, programme_goal, plan_2019):
    before = _snapshot(programme_goal)
    programme_goal.set_in_plan = plan_2019
    with pytest.raises(ValidationError, match=LOCKED):
        programme_goal.save()
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.filter(pk=programme_goal.pk).update(set_in_plan=plan_2019)
    assert _snapshot(programme_goal) == before
    set_before = _snapshot(set_goal)
    draft_2020 = work_plan_copy_to_year(source=plan_2019, year=2020)
    for target in (None, draft_2020):
        set_goal.set_in_plan = target
        with pytest.raises(ValidationError, match=LOCKED):
            set_goal.save()
    with pytest.raises(ValidationError, match=LOCKED):
        Goal.objects.filter(pk=set_goal.pk).update(set_in_plan=None)
    assert _snapshot(set_goal) == set_before


def test_programme_goals_stay_editable(programme_goal):
    programme_goal.description = "Förtydligad."
    programme_goal.full_clean()
    programme_goal.save()
    Goal.objects.filter(pk=programme_goal.pk).update(position=programme_goal.position)
    assert Goal.objects.get(pk=programme_goal.pk).description == "Förtydligad."


def test_reopening_the_plan_unlocks_its_goals(set_goal, plan_2019):
    work_plan_reopen(plan=plan_2019, reason="Delmålet var felskrivet.", user=User.objects.create_user("sekr"))
    set_goal.title = "Rättat delmål"
    set_goal.save()
    assert Goal.objects.get(pk=set_goal.pk).title == "Rättat delmål"


def test_the_goal_admin_locks_a_set_goal_and_edits_a_programme_goal(sekretariat, set_goal, programme_goal):
    url = reverse("admin:plans_goal_change", args=[set_goal.pk])
    assert GOAL_2019 in messages_of(sekretariat.get(url))
    response = sekretariat.post(url, {"programme": set_goal.programme_id, "level": set_goal.level_id,
                                      "title": "Ändrat", "position": 0})
    assert response.status_code == 403
    assert sekretariat.post(reverse("admin:plans_goal_delete", args=[set_goal.pk]), {"post": "yes"}).status_code == 403
    assert Goal.objects.get(pk=set_goal.pk).title == set_goal.title
    url = reverse("admin:plans_goal_change", args=[programme_goal.pk])
    data = admin_form_data(sekretariat, url)
    assert "loaded_version" in data
    data["description"] = "Förtydligad i administrationen."
    assert sekretariat.post(url, data).status_code == 302
    assert Goal.objects.get(pk=programme_goal.pk).description == "Förtydligad i administrationen."
    data["set_in_plan"] = WorkPlan.objects.get(year=2019).pk  # moving it into the decided plan
    data["loaded_version"] = Goal.objects.get(pk=programme_goal.pk).version
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert GOAL_2019 in errors_of(response)
    assert Goal.objects.get(pk=programme_goal.pk).set_in_plan_id is None


def test_the_series_inline_refuses_to_delete_a_shown_rotation(sekretariat, konferensen_2020):
    url = reverse("admin:calendar_app_eventseries_change", args=[konferensen_2020.series_id])
    data = admin_form_data(sekretariat, url)
    index = next(i for i in range(int(data["rotations-TOTAL_FORMS"]))
                 if str(data[f"rotations-{i}-id"]) == str(konferensen_2020.pk))
    data[f"rotations-{index}-DELETE"] = "on"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert ROTATION_2019 in " ".join(formset.non_form_errors())
    assert HostRotation.objects.filter(pk=konferensen_2020.pk).exists()
