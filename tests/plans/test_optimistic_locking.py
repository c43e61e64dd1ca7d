"""Issue 10, found 4: no lost edit. One version check for every edited model, made in
the same statement as the write (sodertorn/locking.py)."""
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.urls import reverse

from calendar_app.models import Event
from plans.models import Activity, Chapter, WorkPlan
from secretariat.services import work_plan_copy_to_year
from sodertorn.locking import StaleEdit
from tests.admin_forms import admin_form_data
from tests.environment import requires_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)


@pytest.fixture
def colleague(client, django_user_model):
    """A second member of the secretariat, in a browser session of their own."""
    from django.test import Client

    user = django_user_model.objects.create_user("kansli2", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    other = Client()
    other.force_login(user)
    return other


def _inline_key(data: dict, prefix: str, pk: int, field: str) -> str:
    key = next(k for k, v in data.items() if k.startswith(prefix) and k.endswith("-id") and str(v) == str(pk))
    return key[: -len("id")] + field


def test_every_save_raises_the_version_and_a_stale_instance_is_refused(draft):
    chapter = draft.chapters.order_by("position").first()
    mine, theirs = Chapter.objects.get(pk=chapter.pk), Chapter.objects.get(pk=chapter.pk)
    theirs.body = "Deras text."
    theirs.save()
    assert theirs.version == chapter.version + 1
    mine.body = "Min text."
    with pytest.raises(StaleEdit, match="Någon annan har sparat kapitel"):
        mine.save()
    assert Chapter.objects.get(pk=chapter.pk).body == "Deras text."


def test_a_bulk_update_makes_a_loaded_form_stale(draft):
    activity = draft.activities.first()
    Activity.objects.filter(pk=activity.pk).update(comment="Ändrad i bulk")
    activity.title = "Ändrad"
    with pytest.raises(StaleEdit):
        activity.save()


def test_the_plan_page_refuses_a_chapter_changed_meanwhile_on_its_own_page(sekretariat, colleague, draft):
    """Two sessions edit the same chapter: the plan page (inline) and the chapter's
    page. The second save is refused with what changed; the first is kept; what the
    second editor typed stays in the form."""
    chapter = draft.chapters.order_by("position").first()
    plan_url = reverse("admin:plans_workplan_change", args=[draft.pk])
    chapter_url = reverse("admin:plans_chapter_change", args=[chapter.pk])
    mine = admin_form_data(sekretariat, plan_url)
    theirs = admin_form_data(colleague, chapter_url)

    theirs["body"] = "Kollegans text i kapitlet."
    assert colleague.post(chapter_url, theirs).status_code == 302

    mine[_inline_key(mine, "chapters", chapter.pk, "body")] = "Min text från plansidan."
    response = sekretariat.post(plan_url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Någon annan har sparat kapitel" in page and "text ändrades av kansli2" in page
    assert "Min text från plansidan." in page
    assert Chapter.objects.get(pk=chapter.pk).body == "Kollegans text i kapitlet."


def test_saving_the_plan_page_does_not_overwrite_rows_it_did_not_change(sekretariat, colleague, draft):
    chapter = draft.chapters.order_by("position").first()
    activity = draft.activities.order_by("position").first()
    plan_url = reverse("admin:plans_workplan_change", args=[draft.pk])
    mine = admin_form_data(sekretariat, plan_url)

    for obj, url in ((chapter, "admin:plans_chapter_change"), (activity, "admin:plans_activity_change")):
        theirs = admin_form_data(colleague, reverse(url, args=[obj.pk]))
        theirs["body" if obj is chapter else "description"] = "Ändrat av kollegan."
        assert colleague.post(reverse(url, args=[obj.pk]), theirs).status_code == 302

    mine["subtitle"] = "Ny undertitel"
    response = sekretariat.post(plan_url, mine)
    assert response.status_code == 302
    assert WorkPlan.objects.get(pk=draft.pk).subtitle == "Ny undertitel"
    assert Chapter.objects.get(pk=chapter.pk).body == "Ändrat av kollegan."
    assert Activity.objects.get(pk=activity.pk).description == "Ändrat av kollegan."


def test_a_stale_event_form_is_refused_and_keeps_the_input(sekretariat, colleague):
    event = Event.objects.create(title="Arbetsmöte", year=2031, date_precision="day",
                                 start_date="2031-03-04")
    url = reverse("admin:calendar_app_event_change", args=[event.pk])
    mine, theirs = admin_form_data(sekretariat, url), admin_form_data(colleague, url)
    theirs["venue"] = "Huddinge kommunhus"
    assert colleague.post(url, theirs).status_code == 302
    mine["venue"] = "Haninge kulturhus"
    response = sekretariat.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har sparat kalenderhändelse" in page and "lokal/plats ändrades av kansli2" in page
    assert 'value="Haninge kulturhus"' in page
    assert Event.objects.get(pk=event.pk).venue == "Huddinge kommunhus"


# Needs separate connections that commit: the SQLite test database is one in-memory
# connection; SQLite serialises its writers, so the conditional UPDATE is atomic there too.
@requires_postgresql
def test_of_two_simultaneous_saves_exactly_one_succeeds_on_postgresql():
    """The issue's trial: two sessions save the same row at the same moment, 30 times.
    Before, both succeeded 28 of 30 times; now exactly one does, every time."""
    results = []

    def in_thread(fn):
        try:
            return fn()
        finally:
            connections.close_all()

    def setup():
        return Event.objects.create(title="Samtidigt", year=2032, date_precision="day", start_date="2032-01-01").pk

    pk = [None]
    thread = threading.Thread(target=lambda: pk.__setitem__(0, in_thread(setup)))
    thread.start()
    thread.join()
    try:
        for trial in range(30):
            barrier = threading.Barrier(2)
            outcome = []

            def save(text):
                def run():
                    event = Event.objects.get(pk=pk[0])
                    barrier.wait()
                    event.note = text
                    try:
                        event.save()
                        outcome.append("saved")
                    except StaleEdit:
                        outcome.append("refused")
                return lambda: in_thread(run)

            threads = [threading.Thread(target=save(f"{trial}-{n}")) for n in (1, 2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            results.append(sorted(outcome))
    finally:
        def cleanup():
            Event.history.filter(id=pk[0]).delete()
            Event.objects.filter(pk=pk[0]).delete()
        thread = threading.Thread(target=lambda: in_thread(cleanup))
        thread.start()
        thread.join()
    assert results == [["refused", "saved"]] * 30
