"""Issue 20, found 2 and 3: what is decided or justerat keeps the names it printed.

A decided plan's and a justerat meeting's own rows are locked, but the registers they
name (people, municipalities, bodies, networks, programme goals) stay editable. On the
old main, renaming a person, a municipality or a programme goal afterwards changed the
decided plan's page and PDF (the plans decided before the system have no archived
file) and the justerade minutes' page. Now the names are kept with the record
(`printed_names`, sodertorn/printed.py) and put back whenever the document is built;
drafts and minutes not yet justerade show the registers as they are."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.models import Meeting
from meetings.services import meeting_draw_up_minutes, meeting_send_notice
from plans.models import Activity, Body, Chairmanship, Goal, Municipality, Person, WorkPlan
from secretariat.services import printed_names_fill, work_plan_copy_to_year, work_plan_decide, work_plan_propose
from sodertorn.lock import lock_bypass
from sodertorn.printed import printed_names_apply, printed_names_take
from tests.meetings.conftest import build_meeting, write_minutes
from tests.meetings.test_flow import approve_all, at, held
from tests.plans.conftest import page_text, pdf_text
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db


def _rename(obj, field, value):
    setattr(obj, field, value)
    obj.full_clean()
    obj.save()


def _chair_2019():
    return Chairmanship.objects.select_related("person__municipality").get(
        body__slug="samarbetskommitten", year=2019, role="chair")


def _programme_goal_of(plan) -> Goal:
    """A programme goal (not a delmål a plan sets, which is locked with it) that the
    plan's action plan names: the goal of an activity, or the goal above its delmål."""
    activity = (Activity.objects.filter(plan=plan, goal__isnull=False).select_related("goal__parent")
                .order_by("position", "id").first())
    goal = activity.goal if activity.goal.set_in_plan_id is None else activity.goal.parent
    assert goal.set_in_plan_id is None
    return goal


# -- the mechanism ---------------------------------------------------------------------


def test_a_snapshot_puts_the_printed_names_back_on_fresh_instances_in_memory():
    huddinge = Municipality.objects.get(slug="huddinge")
    snapshot = printed_names_take({"rows": [huddinge]}, [("plans.Municipality", ("name",))])
    assert snapshot == {"version": 1, "names": {"plans.Municipality": {str(huddinge.pk): {"name": "Huddinge"}}}}
    _rename(huddinge, "name", "Huddinge stad")
    fresh = Municipality.objects.get(pk=huddinge.pk)
    printed_names_apply(snapshot, {"by_key": {fresh: [fresh]}})
    assert fresh.name == "Huddinge"
    assert Municipality.objects.get(pk=huddinge.pk).name == "Huddinge stad"  # never saved


def test_applying_a_snapshot_never_queries(django_assert_num_queries):
    people = list(Person.objects.select_related("municipality")[:20])
    snapshot = printed_names_take(people, [("plans.Person", ("name",)), ("plans.Municipality", ("name",))])
    with django_assert_num_queries(0):
        printed_names_apply(snapshot, people)


def test_an_unknown_snapshot_version_is_refused():
    with pytest.raises(ValueError, match="Okänd version"):
        printed_names_apply({"version": 99, "names": {}}, [])


# -- the plans decided before the system -------------------------------------------------


@pytest.mark.parametrize("year", [2010, 2012, 2017, 2019])
def test_the_seed_keeps_the_names_of_the_plans_decided_before_the_system(year):
    plan = WorkPlan.objects.get(year=year)
    assert plan.status == WorkPlan.Status.DECIDED and not plan.archives.exists()
    names = plan.printed_names["names"]
    assert names["plans.Municipality"] and names["plans.Body"]


def test_a_seeded_decided_plan_keeps_its_names_after_renames(client):
    plan = WorkPlan.objects.get(year=2019)
    chair = _chair_2019()
    person, municipality = chair.person, chair.person.municipality
    old_person, old_municipality = person.name, municipality.official_name
    goal = _programme_goal_of(plan)
    old_goal = goal.title
    _rename(person, "name", "Omdöpt Ordförande")
    _rename(municipality, "name", "Nyköping")
    _rename(goal, "title", "Ett omdöpt programmål")

    page = page_text(client.get("/planer/2019/"))
    pdf = pdf_text(client.get("/planer/2019/pdf/").content)
    for text in (page, pdf):
        assert old_person in text and old_municipality in text and old_goal in text
        assert "Omdöpt Ordförande" not in text and "Nyköping" not in text and "omdöpt programmål" not in text
    report = page_text(client.get("/planer/2019/arsredovisning/"))
    assert old_goal in report and "omdöpt programmål" not in report


def test_the_seed_loader_never_replaces_a_kept_snapshot():
    plan = WorkPlan.objects.get(year=2019)
    before = plan.printed_names
    _rename(_chair_2019().person, "name", "Omdöpt Ordförande")
    with lock_bypass():
        assert printed_names_fill() == []
    plan.refresh_from_db()
    assert plan.printed_names == before


# -- a plan decided in the system, and a draft -------------------------------------------


@pytest.fixture
def draft_2020(db):
    return work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)


@pytest.fixture
def decided_2020(draft_2020, sekretariat_user):
    plan_make_ready(draft_2020)
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                     decided_on=datetime.date(2020, 2, 6), decided_by=Body.objects.get(slug="samarbetskommitten"),
                     reference="§ 1")
    draft_2020.refresh_from_db()
    return draft_2020


def test_a_plan_decided_in_the_system_keeps_the_names_it_printed(client, decided_2020):
    chair = Chairmanship.objects.select_related("person__municipality").get(
        body__slug="samarbetskommitten", year=2020, role="chair")
    old_person, old_municipality = chair.person.name, chair.person.municipality.official_name
    goal = _programme_goal_of(decided_2020)
    old_goal = goal.title
    assert decided_2020.printed_names["names"]["plans.Person"]
    _rename(chair.person, "name", "Omdöpt Ordförande")
    _rename(chair.person.municipality, "name", "Nyköping")
    _rename(goal, "title", "Ett omdöpt programmål")

    page = page_text(client.get("/planer/2020/"))
    rendered = pdf_text(client.get("/planer/2020/pdf/?variant=arkiv").content)
    for text in (page, rendered):
        assert old_person in text and old_municipality in text and old_goal in text
        assert "Omdöpt Ordförande" not in text and "Nyköping" not in text and "omdöpt programmål" not in text


def test_a_draft_shows_the_names_as_they_are_now(client, sekretariat_user, draft_2020):
    plan_make_ready(draft_2020)
    chair = Chairmanship.objects.select_related("person").get(body__slug="samarbetskommitten", year=2020, role="chair")
    goal = _programme_goal_of(draft_2020)
    _rename(chair.person, "name", "Omdöpt Ordförande")
    _rename(goal, "title", "Ett omdöpt programmål")
    client.force_login(sekretariat_user)
    page = page_text(client.get("/planer/2020/"))
    assert "Omdöpt Ordförande" in page and "omdöpt programmål" in page
    assert WorkPlan.objects.get(pk=draft_2020.pk).printed_names == {}


def test_a_decided_plans_names_cannot_be_changed_by_save_or_update(decided_2020):
    forged = {"version": 1, "names": {}}
    decided_2020.printed_names = forged
    with pytest.raises(ValidationError, match="beslutad och låst"):
        decided_2020.save()
    with pytest.raises(ValidationError, match="beslutad och låst"):
        decided_2020._lock_workflow = True  # not even as the workflow
        decided_2020.save()
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        WorkPlan.objects.filter(pk=decided_2020.pk).update(printed_names=forged)
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        WorkPlan._base_manager.filter(pk=decided_2020.pk).update(printed_names=forged)
    assert WorkPlan.objects.get(pk=decided_2020.pk).printed_names["names"]


def test_a_draft_cannot_be_given_printed_names_by_a_save(draft_2020):
    draft_2020.printed_names = {"version": 1, "names": {}}
    with pytest.raises(ValidationError, match="ändras bara med knapparna"):
        draft_2020.save()


# -- justerade minutes ---------------------------------------------------------------------


@pytest.fixture
def justerat():
    meeting = held(datetime.date(2026, 3, 5))
    approve_all(meeting, at(datetime.date(2026, 3, 9)))
    assert meeting.status == Meeting.Status.APPROVED
    return meeting


def test_justerade_minutes_keep_the_names_they_showed(client, justerat):
    chair, secretary = justerat.chair, justerat.secretary
    old_chair, old_secretary, old_place = chair.name, secretary.name, chair.municipality.name
    body = justerat.event.body
    old_body = body.name
    assert justerat.printed_names["names"]["plans.Person"]
    _rename(chair, "name", "Omdöpt Ordförande")
    _rename(secretary, "name", "Omdöpt Sekreterare")
    _rename(chair.municipality, "name", "Nyköping")
    _rename(body, "name", "Ett omdöpt organ")

    url = justerat.get_absolute_url()
    page = page_text(client.get(url))
    extract = pdf_text(client.get(f"{url}paragraf/1/utdrag.pdf").content)
    for text in (page, extract):
        assert old_chair in text and old_secretary in text and old_place in text
        assert "Omdöpt" not in text and "Nyköping" not in text
    assert old_body in extract and "omdöpt organ" not in extract


def test_the_protokoll_rendered_for_the_public_keeps_the_names_too(client, justerat):
    """With an item not for publication the public gets a rendering, not the archive."""
    from meetings.models import AgendaItem

    with lock_bypass():
        AgendaItem.objects.filter(meeting=justerat, position=2).update(not_for_publication=True)
    old_chair = justerat.chair.name
    _rename(justerat.chair, "name", "Omdöpt Ordförande")
    response = client.get(f"{justerat.get_absolute_url()}protokoll.pdf")
    assert "X-Archive-SHA256" not in response
    text = pdf_text(response.content)
    assert old_chair in text and "Omdöpt Ordförande" not in text


def test_minutes_not_yet_justerade_show_the_names_as_they_are_now(client, sekretariat_user):
    meeting = build_meeting(datetime.date(2026, 3, 5))
    meeting_send_notice(meeting=meeting, now=at(datetime.date(2026, 2, 20)))
    write_minutes(meeting)
    meeting_draw_up_minutes(meeting=meeting, now=at(datetime.date(2026, 3, 5), 16))
    meeting.refresh_from_db()
    _rename(meeting.chair, "name", "Omdöpt Ordförande")
    client.force_login(sekretariat_user)
    assert "Omdöpt Ordförande" in page_text(client.get(meeting.get_absolute_url()))
    assert Meeting.objects.get(pk=meeting.pk).printed_names == {}


def test_justerade_minutes_names_cannot_be_changed_by_save_or_update(justerat):
    forged = {"version": 1, "names": {}}
    justerat.printed_names = forged
    with pytest.raises(ValidationError, match="justerat"):
        justerat.save()
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        Meeting.objects.filter(pk=justerat.pk).update(printed_names=forged)
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        Meeting._base_manager.filter(pk=justerat.pk).update(printed_names=forged)
    assert Meeting.objects.get(pk=justerat.pk).printed_names["names"]


def test_the_action_plan_of_a_decided_plan_and_its_export_keep_the_goal_titles(client):
    goal = _programme_goal_of(WorkPlan.objects.get(year=2019))
    activity = Activity.objects.filter(plan__year=2019, goal=goal).first() or Activity.objects.filter(
        plan__year=2019, goal__parent=goal).first()
    delmal = activity.goal
    responsible = activity.responsible_municipalities.first()
    old_goal = goal.title
    _rename(goal, "title", "Ett omdöpt programmål")
    names = [old_goal]
    if responsible:
        names.append(responsible.name)
        _rename(responsible, "name", "Nyköping")
    # The table (the filter's choices above it offer the registers as they are now).
    html = client.get("/planer/2019/handlingsplan/").content.decode()
    table = html[html.index("<table"):html.index("</table>")]
    page = page_text(type("Response", (), {"content": table.encode()})())
    csv = client.get("/planer/2019/handlingsplan/?_export=csv").content.decode()
    assert delmal.title in page
    for text in (page, csv):
        assert "omdöpt programmål" not in text and "Nyköping" not in text
    assert all(name in page for name in names[1:]) and all(name in csv for name in names[1:])


def test_reopening_a_decided_plan_lets_it_show_the_registers_again(client, decided_2020, sekretariat_user):
    from secretariat.services import work_plan_reopen

    chair = Chairmanship.objects.select_related("person").get(body__slug="samarbetskommitten", year=2020, role="chair")
    _rename(chair.person, "name", "Omdöpt Ordförande")
    work_plan_reopen(plan=decided_2020, reason="Fel i budgeten, rättas före nytt beslut.", user=sekretariat_user)
    decided_2020.refresh_from_db()
    assert decided_2020.printed_names == {}
    client.force_login(sekretariat_user)
    assert "Omdöpt Ordförande" in page_text(client.get("/planer/2020/"))
