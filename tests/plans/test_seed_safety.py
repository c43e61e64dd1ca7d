"""load_seed is safe on a database people work in: it never overwrites what was
changed after it was loaded, it is quiet when nothing changed, and calendar events
keep their iCal UIDs whatever happens to their order in the YAML."""
import shutil
import re
import uuid

import pytest
import yaml
from django.core.management import call_command

from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Chapter, WorkPlan
from secretariat.seed import EVENT_NAMESPACE, FIXTURES_DIR, SeedError, seed_files, seed_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def load_seed(settings, capsys):
    settings.DEBUG = True  # a development database

    def run(*args):
        call_command("load_seed", *args)
        return capsys.readouterr().out

    return run


def test_a_second_load_changes_nothing_and_says_so_in_one_line(load_seed):
    out = load_seed()
    assert out.strip().splitlines() == [out.strip()]
    assert "inget att ändra" in out


def test_edits_made_after_loading_survive_a_new_load_and_are_reported(load_seed):
    chapter = Chapter.objects.get(plan__year=2017, number="1")
    chapter.body = "Kansliets egen, senare formulering."
    # Both plans are decided: an admin edits them only after reopening, which the
    # bypass stands for here; the point is what load_seed does with the edits.
    with lock_bypass():
        chapter.save()
        WorkPlan.objects.filter(year=2010).update(status=WorkPlan.Status.DRAFT)

    out = load_seed()

    chapter.refresh_from_db()
    assert chapter.body == "Kansliets egen, senare formulering."
    assert WorkPlan.objects.get(year=2010).status == WorkPlan.Status.DRAFT
    assert "Lämnade orörda (2)" in out
    assert "22_vp2017.yaml: kapitel" in out and "20_vp2010.yaml: planer" in out
    assert out.count("ändrad efter inläsningen") == 2


def test_overwrite_puts_the_seed_back(load_seed):
    chapter = Chapter.objects.get(plan__year=2017, number="1")
    seeded = chapter.body
    with lock_bypass():  # an edit after reopening the decided 2017 plan
        Chapter.objects.filter(pk=chapter.pk).update(body="Ändrad.")
    load_seed("--overwrite")
    chapter.refresh_from_db()
    assert chapter.body == seeded
    assert "inget att ändra" in load_seed()


def test_a_deleted_event_is_not_recreated(load_seed):
    event = Event.objects.filter(plan__year=2019).first()
    with lock_bypass():  # a deletion after reopening the decided 2019 plan
        event.delete()
    out = load_seed()
    assert not Event.objects.filter(uid=event.uid).exists()
    assert "raderad efter inläsningen" in out


def test_a_record_made_by_hand_that_differs_from_the_seed_is_left_alone(load_seed):
    """A database loaded before fingerprints existed: nothing recorded, so a record
    that differs from the seed might be someone's edit and is not overwritten."""
    from plans.models import SeedRecord

    SeedRecord.objects.all().delete()
    with lock_bypass():  # an edit after reopening the decided 2017 plan
        Chapter.objects.filter(plan__year=2017, number="1").update(body="Handskrivet.")
    out = load_seed()
    assert Chapter.objects.get(plan__year=2017, number="1").body == "Handskrivet."
    assert "lästes inte in av load_seed" in out
    # every other record equals the seed and is adopted: the next load is quiet again
    assert "Lämnade orörda (1)" in out


def test_an_update_in_the_yaml_reaches_a_record_nobody_edited(tmp_path):
    """A correction in the fixtures still reaches the database on the next load."""
    path = copy_fixture(tmp_path, "22_vp2017.yaml")
    data = yaml.safe_load(path.read_text())
    data["plans"][0]["chapters"][0]["body"] += "\n\nRättelse."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    seed_load([path])
    assert Chapter.objects.get(plan__year=2017, position=1).body.endswith("Rättelse.")


# -- iCal UIDs ---------------------------------------------------------------

# The UIDs subscribers had before events got keys, when they were derived from the
# event's place in its file (uuid5 of "plan-<year>-event-<position>").
KNOWN_UIDS = {
    (2010, 1): "716c6e5b-e82b-52ef-9931-e01f2c8a404a",
    (2012, 19): "e8e353d7-d4d8-5833-beb9-0626c8bcc75f",
    (2017, 1): "7ae6fc65-e11e-5bb0-bc15-adc5ed1454dd",
    (2019, 18): "62cc6d8b-b428-5bcf-85c4-291a310eee39",
}


def test_every_seeded_event_keeps_the_uid_it_had_from_its_position():
    """Keys were written once from the positions of that day ("plan-<year>-event-<n>"),
    so every event kept its UID; an event removed later (a duplicate) leaves a gap."""
    for path in seed_files():
        for plan in (yaml.safe_load(path.read_text()) or {}).get("plans", []):
            for event in plan.get("events", []):
                assert re.fullmatch(rf"plan-{plan['year']}-[a-z0-9-]+", event["key"]), (path.name, event)
                uid = uuid.uuid5(EVENT_NAMESPACE, event["key"])
                assert Event.objects.get(uid=uid).plan.year == plan["year"], (path.name, event["key"])
    for (year, position), uid in KNOWN_UIDS.items():
        assert Event.objects.get(uid=uid).plan.year == year


def copy_fixture(tmp_path, name):
    target = tmp_path / name
    shutil.copy(FIXTURES_DIR / name, target)
    return target


def test_inserting_and_reordering_events_changes_no_other_uid(tmp_path):
    path = copy_fixture(tmp_path, "23_vp2019.yaml")
    before = {e.uid: (e.start_date, e.body_id) for e in Event.objects.filter(plan__year=2019)}
    data = yaml.safe_load(path.read_text())
    events = data["plans"][0]["events"]
    events.reverse()
    events.insert(3, {**events[0], "key": "plan-2019-extra-ledningsgrupp", "note": "Extra möte."})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    seed_load([path])

    after = {e.uid: (e.start_date, e.body_id) for e in Event.objects.filter(plan__year=2019)}
    assert len(after) == len(before) + 1
    assert {uid: after[uid] for uid in before} == before


def test_an_event_without_a_key_is_refused_with_a_clear_message(tmp_path):
    path = copy_fixture(tmp_path, "23_vp2019.yaml")
    data = yaml.safe_load(path.read_text())
    del data["plans"][0]["events"][4]["key"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(SeedError, match=r"23_vp2019.yaml: en kalenderhändelse i planen 2019 saknar nyckel \(key:\)"):
        seed_load([path])


def test_two_events_with_one_key_are_refused(tmp_path):
    path = copy_fixture(tmp_path, "23_vp2019.yaml")
    data = yaml.safe_load(path.read_text())
    data["plans"][0]["events"][1]["key"] = data["plans"][0]["events"][0]["key"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(SeedError, match="används av två kalenderhändelser"):
        seed_load([path])
