"""Issue 10, found 2, through the admin: change forms, inlines, bulk actions and
simple-history's revert form all meet the model-layer lock (plans/lock.py)."""
import datetime

import pytest
from django.urls import reverse

from budget.models import BudgetLine
from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Activity, Body, Chairmanship, Chapter, PlanReopening, WorkPlan
from secretariat.services import work_plan_decide, work_plan_propose
from tests.admin_forms import admin_form_data, errors_of, messages_of
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db

LOCKED = "är beslutad och låst"


def test_the_change_form_of_a_locked_event_says_why_and_refuses_the_post(sekretariat):
    event = WorkPlan.objects.get(year=2017).events.order_by("sort_key").first()
    url = reverse("admin:calendar_app_event_change", args=[event.pk])
    page = sekretariat.get(url)
    assert "Verksamhetsplanen för 2017 är beslutad och låst" in messages_of(page)
    response = sekretariat.post(url, {"kind": "meeting", "title": "Ändrat", "year": 2017, "date_precision": "day",
                                      "start_date": "2017-02-02"})
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).title == event.title


def test_moving_a_draft_chapter_into_a_decided_plan_in_its_change_form_is_refused(sekretariat, draft_2020):
    chapter = draft_2020.chapters.order_by("position").first()
    url = reverse("admin:plans_chapter_change", args=[chapter.pk])
    data = admin_form_data(sekretariat, url)
    data["plan"] = WorkPlan.objects.get(year=2019).pk
    data["position"] = 99
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Verksamhetsplanen för 2019 är beslutad och låst" in errors_of(response)
    assert Chapter.objects.get(pk=chapter.pk).plan_id == draft_2020.pk


def test_adding_an_event_to_a_decided_plan_in_the_add_form_is_refused(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    count = Event.objects.count()
    response = sekretariat.post(reverse("admin:calendar_app_event_add"), {
        "kind": "meeting", "title": "Extra möte", "plan": plan.pk, "year": 2019, "date_precision": "day",
        "start_date": "2019-05-07",
    })
    assert response.status_code == 200
    assert "Verksamhetsplanen för 2019 är beslutad och låst" in errors_of(response)
    assert Event.objects.count() == count


def test_a_chair_of_a_decided_year_cannot_be_changed_in_the_body_inline(sekretariat):
    chair = Chairmanship.objects.filter(year=2019).select_related("body").first()
    url = reverse("admin:plans_body_change", args=[chair.body.pk])
    data = admin_form_data(sekretariat, url)
    key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(chair.pk) and "chairmanship" in k)
    data[key.replace("-id", "-role")] = "vice_chair" if chair.role == "chair" else "chair"
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Verksamhetsplanen för 2019 är beslutad och låst" in errors_of(response)
    assert Chairmanship.objects.get(pk=chair.pk).role == chair.role


def test_a_locked_budget_inline_keeps_only_the_outcome_editable(sekretariat):
    budget = WorkPlan.objects.get(year=2019).budget
    url = reverse("admin:budget_budget_change", args=[budget.pk])
    page = sekretariat.get(url)
    inline = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is BudgetLine)
    assert not inline.has_add_permission and not inline.has_delete_permission
    assert {"label", "amount"} <= set(inline.readonly_fields) and "actual_amount" not in inline.readonly_fields
    data = admin_form_data(sekretariat, url)
    line = budget.lines.order_by("kind", "position").first()
    key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(line.pk))
    data[key.replace("-id", "-actual_amount")] = "12345"
    data[key.replace("-id", "-label")] = "Ändrad post"  # read-only: ignored
    response = sekretariat.post(url, data)
    assert response.status_code == 302, errors_of(response)
    line.refresh_from_db()
    assert (line.actual_amount, line.label) == (12345, BudgetLine.objects.get(pk=line.pk).label)
    assert line.label != "Ändrad post"


def test_the_follow_up_of_a_decided_plan_can_be_filled_in_the_activity_form(sekretariat):
    activity = WorkPlan.objects.get(year=2019).activities.order_by("position").first()
    url = reverse("admin:plans_activity_change", args=[activity.pk])
    data = admin_form_data(sekretariat, url)
    data.update({"follow_up_status": "done", "outcome": "Genomförd.", "actual_cost": "900", "title": "Ändrad"})
    response = sekretariat.post(url, data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.follow_up_status, activity.outcome, activity.title) == ("done", "Genomförd.", activity.title)
    assert activity.title != "Ändrad"


@pytest.mark.parametrize("admin_name, model, rows", [
    ("calendar_app_event", Event, lambda: Event.objects.filter(plan__year=2017)),
    ("plans_chapter", Chapter, lambda: Chapter.objects.filter(plan__year=2019)),
    ("plans_activity", Activity, lambda: Activity.objects.filter(plan__year=2019)),
    ("budget_budgetline", BudgetLine, lambda: BudgetLine.objects.filter(budget__year=2019)),
])
def test_the_bulk_delete_action_is_refused_with_the_message(admin_client, admin_name, model, rows):
    """As a superuser, so that only the lock stands in the way."""
    pks = list(rows().values_list("pk", flat=True)[:3])
    count = model.objects.count()
    response = admin_client.post(reverse(f"admin:{admin_name}_changelist"), {
        "action": "delete_selected", "_selected_action": pks, "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    assert LOCKED in messages_of(response)
    assert model.objects.count() == count


def test_reverting_a_locked_chapter_from_its_history_is_refused(sekretariat):
    chapter = WorkPlan.objects.get(year=2019).chapters.order_by("position").first()
    first = chapter.history.earliest()
    with lock_bypass():  # a later version, so that the first one differs
        chapter.title = "Rättad rubrik"
        chapter.save()
    url = reverse("admin:plans_chapter_simple_history", args=[chapter.pk, first.history_id])
    data = admin_form_data(sekretariat, url)
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Verksamhetsplanen för 2019 är beslutad och låst" in errors_of(response)
    assert Chapter.objects.get(pk=chapter.pk).title == "Rättad rubrik"


def test_reverting_a_decided_plan_to_its_proposed_version_changes_nothing(sekretariat, sekretariat_user, draft_2020):
    plan_make_ready(draft_2020)
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    proposed = draft_2020.history.latest()
    work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                     decided_on=datetime.date(2020, 2, 6), decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 3")
    url = reverse("admin:plans_workplan_simple_history", args=[draft_2020.pk, proposed.history_id])
    data = admin_form_data(sekretariat, url)
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    assert "Verksamhetsplanen för 2020 är beslutad och låst" in errors_of(response)
    plan = WorkPlan.objects.get(pk=draft_2020.pk)
    assert plan.status == WorkPlan.Status.DECIDED and plan.decision_reference == "§ 3"
    assert not PlanReopening.objects.filter(plan=plan).exists()
