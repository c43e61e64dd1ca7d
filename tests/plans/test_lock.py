"""Issue 10, found 2: a decided plan and everything it shows is locked in the model
layer, whatever the path. These tests go through the ORM (the shell, imports,
services); tests/plans/test_lock_admin.py goes through the admin."""
import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from budget.models import Budget, BudgetLine
from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import (
    Activity,
    Body,
    Chairmanship,
    Chapter,
    CollaborationArea,
    CollaborationTopic,
    MunicipalDecision,
    Municipality,
    Person,
    PlanArchive,
    PlanReopening,
    WorkPlan,
)
from secretariat.services import work_plan_decide, work_plan_propose, work_plan_reopen
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db

LOCKED = "är beslutad och låst"


def _chair_2019():
    return Chairmanship.objects.filter(year=2019).select_related("body", "person").first()


# Each locked model: (a saved row of plan 2019, the field edited, a new row for plan 2019,
# a row of the draft 2020 moved into plan 2019).
CASES = {
    "kapitel": (
        lambda p: p.chapters.order_by("position").first(), "title",
        lambda p: Chapter(plan=p, position=99, title="Nytt kapitel"),
        lambda p, d: _set(d.chapters.order_by("position").first(), plan=p, position=99),
    ),
    "samverkansområde": (
        lambda p: p.areas.order_by("position").first(), "title",
        lambda p: CollaborationArea(plan=p, position=99, title="Nytt område"),
        lambda p, d: _set(d.areas.order_by("position").first(), plan=p, position=99),
    ),
    "inriktning": (
        lambda p: CollaborationTopic.objects.filter(area__plan=p).order_by("id").first(), "title",
        lambda p: CollaborationTopic(area=p.areas.first(), position=99, title="Ny inriktning"),
        lambda p, d: _set(CollaborationTopic.objects.filter(area__plan=d).first(), area=p.areas.first()),
    ),
    "aktivitet": (
        lambda p: p.activities.order_by("position").first(), "title",
        lambda p: Activity(plan=p, title="Ny aktivitet"),
        lambda p, d: _set(d.activities.first(), plan=p),
    ),
    "kalenderhändelse": (
        lambda p: p.events.order_by("sort_key").first(), "note",
        lambda p: Event(plan=p, year=2019, title="Nytt möte", start_date=datetime.date(2019, 5, 5)),
        lambda p, d: _set(Event.objects.create(title="Utkastets möte", year=2019, start_date=datetime.date(2019, 6, 6)), plan=p),
    ),
    "budget": (
        lambda p: p.budget, "note",
        lambda p: Budget(year=2019, plan=p),
        # plan 2019 has its budget already; 2010, decided too, has none
        lambda p, d: _set(d.budget, plan=WorkPlan.objects.get(year=2010)),
    ),
    "budgetpost": (
        lambda p: p.budget.lines.order_by("kind", "position").first(), "label",
        lambda p: BudgetLine(budget=p.budget, kind="cost", label="Ny post", amount=1),
        lambda p, d: _set(d.budget.lines.first(), budget=p.budget),
    ),
    "ordförandeskap": (
        lambda p: _chair_2019(), "role",
        lambda p: Chairmanship(body=Body.objects.get(slug="ledningsgruppen"), year=2019, role="chair",
                               person=Person.objects.first()),
        lambda p, d: _set(Chairmanship.objects.create(body=Body.objects.exclude(chairmanships__year=2019).first(),
                                                      year=2020, role="chair", person=_chair_2019().person), year=2019),
    ),
}


def _set(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


def _edit(obj, field):
    value = getattr(obj, field)
    if field == "role":
        return "vice_chair" if value == "chair" else "chair"
    return f"{value} (ändrad)"


@pytest.fixture(params=list(CASES))
def case(request, plan_2019):
    saved, field, new, move = CASES[request.param]
    return {"saved": lambda: saved(plan_2019), "field": field, "new": lambda: new(plan_2019),
            "move": lambda draft: move(plan_2019, draft)}


def _snapshot(obj):
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


def test_a_saved_part_of_a_decided_plan_refuses_save(case):
    obj = case["saved"]()
    before = _snapshot(obj)
    setattr(obj, case["field"], _edit(obj, case["field"]))
    with pytest.raises(ValidationError, match=LOCKED):
        obj.save()
    with pytest.raises(ValidationError, match=LOCKED):
        obj.full_clean()
    assert _snapshot(obj) == before


def test_a_new_part_cannot_be_created_in_a_decided_plan(case):
    obj = case["new"]()
    model = type(obj)
    count = model.objects.count()
    with pytest.raises(ValidationError, match=LOCKED):
        obj.save()
    with pytest.raises(ValidationError, match=LOCKED):
        model.objects.bulk_create([case["new"]()])
    assert model.objects.count() == count


def test_a_part_of_a_draft_cannot_be_moved_into_a_decided_plan(case, draft_2020):
    obj = case["move"](draft_2020)
    model = type(obj)
    before = _snapshot(obj)
    with pytest.raises(ValidationError, match=LOCKED):
        obj.save()
    assert _snapshot(obj) == before
    # …nor by an update of the row
    moved = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
             if getattr(obj, f.attname) != before[f.attname]}
    with pytest.raises(ValidationError, match=LOCKED):
        model.objects.filter(pk=obj.pk).update(**moved)
    assert _snapshot(obj) == before


def test_a_part_of_a_decided_plan_cannot_be_moved_out(case, draft_2020):
    obj = case["saved"]()
    before = _snapshot(obj)
    fk = {"kapitel": "plan", "samverkansområde": "plan", "aktivitet": "plan", "kalenderhändelse": "plan",
          "budget": "plan"}
    model = type(obj)
    if model is CollaborationTopic:
        obj.area = draft_2020.areas.first()
    elif model is BudgetLine:
        obj.budget = draft_2020.budget
    elif model is Chairmanship:
        obj.year = 2020
    elif model is Budget:
        obj.plan = None
    else:
        setattr(obj, fk[model._meta.verbose_name], draft_2020)
    with pytest.raises(ValidationError, match=LOCKED):
        obj.save()
    assert _snapshot(obj) == before


def test_a_part_of_a_decided_plan_refuses_delete(case):
    obj = case["saved"]()
    model = type(obj)
    count = model._base_manager.count()
    with pytest.raises(ValidationError, match=LOCKED):
        obj.delete()
    with pytest.raises(ValidationError, match=LOCKED):
        model.objects.filter(pk=obj.pk).delete()
    assert model._base_manager.count() == count


def test_a_bulk_update_that_touches_a_decided_plan_is_refused(case):
    obj = case["saved"]()
    model = type(obj)
    before = _snapshot(obj)
    field = model._meta.get_field(case["field"])
    with pytest.raises(ValidationError, match=LOCKED):
        model.objects.filter(pk=obj.pk).update(**{field.attname: _edit(obj, case["field"])})
    setattr(obj, case["field"], _edit(obj, case["field"]))
    with pytest.raises(ValidationError, match=LOCKED):
        model.objects.bulk_update([obj], [case["field"]])
    assert _snapshot(obj) == before


def test_a_cascade_from_a_parent_cannot_delete_the_chairs_of_a_decided_year():
    chair = _chair_2019()
    with lock_bypass():  # a body of its own, so that no event protects it
        body = Body.objects.create(name="Testorgan", short_name="Testorgan", slug="testorgan", kind="management")
        Chairmanship.objects.create(body=body, year=2019, role="chair", person=chair.person)
    with pytest.raises(ValidationError, match=LOCKED), transaction.atomic():
        body.delete()
    assert Chairmanship.objects.filter(year=2019, body=body).exists()


def test_many_to_many_parts_of_a_decided_plan_are_locked(plan_2019):
    activity = plan_2019.activities.order_by("position").first()
    municipalities = set(activity.responsible_municipalities.values_list("pk", flat=True))
    other = Municipality.objects.members().exclude(pk__in=municipalities).first()
    # (in a transaction, as in a request: the refusal rolls the relation's write back)
    with pytest.raises(ValidationError, match=LOCKED), transaction.atomic():
        activity.responsible_municipalities.add(other)
    with pytest.raises(ValidationError, match=LOCKED), transaction.atomic():
        activity.responsible_municipalities.clear()
    with pytest.raises(ValidationError, match=LOCKED), transaction.atomic():
        other.activities.add(activity)  # the reverse side
    assert set(activity.responsible_municipalities.values_list("pk", flat=True)) == municipalities
    activity.responsible_municipalities.set(list(municipalities))  # unchanged: nothing to refuse
    event = plan_2019.events.first()
    with pytest.raises(ValidationError, match=LOCKED), transaction.atomic():
        event.hosts.add(other)


def test_follow_up_and_outcome_stay_editable_in_a_decided_plan(plan_2019):
    activity = plan_2019.activities.order_by("position").first()
    activity.follow_up_status, activity.outcome, activity.actual_cost = "done", "Genomförd enligt plan.", 1200
    activity.full_clean()
    activity.save()
    Activity.objects.filter(pk=activity.pk).update(outcome="Genomförd.")
    line = plan_2019.budget.lines.order_by("kind", "position").first()
    line.actual_amount = 4321
    line.save()
    BudgetLine.objects.filter(pk=line.pk).update(actual_amount=4322)
    activity.refresh_from_db()
    line.refresh_from_db()
    assert (activity.follow_up_status, activity.outcome, activity.actual_cost) == ("done", "Genomförd.", 1200)
    assert line.actual_amount == 4322


def test_the_message_names_the_plan_and_what_stays_editable(plan_2019):
    activity = plan_2019.activities.order_by("position").first()
    activity.title = "Ändrad"
    with pytest.raises(ValidationError) as refused:
        activity.save()
    message = refused.value.messages[0]
    assert message.startswith("Verksamhetsplanen för 2019 är beslutad och låst")
    assert "Bara uppföljning, resultat, utfall (kr) kan fyllas i." in message
    assert "Öppna igen" in message


def test_an_event_in_the_2017_plan_cannot_be_edited():
    """The 2017 plan was decided before the system; its PDF is rendered from the
    registered content, so editing its Kalendarium would silently change it."""
    event = WorkPlan.objects.get(year=2017).events.order_by("sort_key").first()
    event.venue = "Någon annanstans"
    with pytest.raises(ValidationError, match="Verksamhetsplanen för 2017 är beslutad"):
        event.save()


def test_the_plan_itself_refuses_changes_and_status_changes_outside_the_workflow(plan_2019):
    plan_2019.subtitle = "Ändrad"
    with pytest.raises(ValidationError, match=LOCKED):
        plan_2019.save()
    plan_2019.refresh_from_db()
    plan_2019.status = WorkPlan.Status.PROPOSED
    with pytest.raises(ValidationError, match=LOCKED):
        plan_2019.save()
    with pytest.raises(ValidationError, match=LOCKED):
        WorkPlan.objects.filter(pk=plan_2019.pk).update(status=WorkPlan.Status.DRAFT)
    assert WorkPlan.objects.get(pk=plan_2019.pk).status == WorkPlan.Status.DECIDED


def test_a_draft_cannot_be_decided_by_a_save_or_an_update(draft_2020):
    draft_2020.status = WorkPlan.Status.DECIDED
    with pytest.raises(ValidationError, match="ändras bara med knapparna"):
        draft_2020.save()
    with pytest.raises(ValidationError, match=LOCKED):
        WorkPlan.objects.filter(pk=draft_2020.pk).update(status=WorkPlan.Status.DECIDED)
    assert WorkPlan.objects.get(pk=draft_2020.pk).status == WorkPlan.Status.DRAFT


def test_plans_and_archives_are_never_deleted_not_even_in_bulk(draft_2020, sekretariat_user):
    with pytest.raises(ValidationError, match="raderas aldrig"):
        WorkPlan.objects.filter(pk=draft_2020.pk).delete()
    plan_make_ready(draft_2020)
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    body = Body.objects.get(slug="samarbetskommitten")
    work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                     decided_on=datetime.date(2020, 2, 6), decided_by=body, reference="§ 1")
    with pytest.raises(ValidationError, match="raderas aldrig"):
        PlanArchive.objects.all().delete()
    assert WorkPlan.objects.filter(pk=draft_2020.pk).exists() and PlanArchive.objects.exists()


def test_municipal_decisions_stay_editable_after_the_committee_decided(plan_2019):
    """The eight kommunstyrelser decide after the committee: that is intended."""
    decision = MunicipalDecision.objects.create(plan=plan_2019, municipality=Municipality.objects.members().first(),
                                                status="sent", sent_on=datetime.date(2019, 3, 1))
    decision.reference = "KS 2019/12"
    decision.save()
    MunicipalDecision.objects.filter(pk=decision.pk).update(decision_paragraph="§ 4")
    decision.delete()


def test_only_reopening_unlocks_and_it_records_the_reason(plan_2019):
    user = User.objects.create_user("sekr")
    chapter = plan_2019.chapters.order_by("position").first()
    reopening = work_plan_reopen(plan=plan_2019, reason="Fel datum i kalendariet.", user=user)
    assert PlanReopening.objects.get(pk=reopening.pk).reason == "Fel datum i kalendariet."
    chapter.title = "Ändrad rubrik"
    chapter.save()
    assert Chapter.objects.get(pk=chapter.pk).title == "Ändrad rubrik"
    Event.objects.filter(plan=plan_2019).update(note="Ändrad")


def test_the_seed_loader_is_the_only_bypass(plan_2019):
    chapter = plan_2019.chapters.order_by("position").first()
    with lock_bypass():
        chapter.title = "Av seed-laddaren"
        chapter.save()
    chapter.title = "Av någon annan"
    with pytest.raises(ValidationError, match=LOCKED):
        chapter.save()


def test_a_plan_decided_before_the_system_says_its_pdf_is_a_rendering(anonym, text_of, pdf_text_of):
    sentence = ("Denna PDF är en återgivning av det registrerade innehållet, inte den undertecknade "
                "originalhandlingen.")
    assert sentence in text_of(anonym.get("/planer/2017/"))
    assert sentence in pdf_text_of(anonym.get("/planer/2017/pdf/").content)
