"""The documents that gather a plan with its calendar and budget (the roof: they read
several apps). The plan page and its PDF call the same builder, so nothing exists in
only one of them; each runs a fixed number of queries whatever the size of the plan
(see tests/plans/test_queries.py). Reads of the plan alone stay in plans/selectors.py.
"""
from collections import defaultdict

from django.db.models import Prefetch

from budget.selectors import budget_summary
from calendar_app.selectors import events_for_plan, rotations_for_plan
from plans.models import Chairmanship, CollaborationArea, CollaborationTopic, Programme, WorkPlan
from plans.selectors import activities_for_plan, printed_names_of, visible_plans, work_plan_printed_names_apply


def work_plan_document(plan: WorkPlan) -> dict:
    """Everything the plan page and its PDF show, in a fixed number of queries.

    A decided plan shows the names it printed (WorkPlan.printed_names): people,
    municipalities, bodies, networks and goals renamed since keep their old names
    here, in memory; a draft shows the registers as they are."""
    chapters = list(plan.chapters.select_related("document").order_by("position"))
    areas = list(
        CollaborationArea.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "topics",
                queryset=CollaborationTopic.objects.select_related("goal__parent").prefetch_related("networks").order_by("position"),
            )
        )
        .order_by("position")
    )
    chairs = list(
        Chairmanship.objects.filter(year=plan.year)
        .select_related("body", "person__municipality")
        .order_by("body__position", "role")
    )
    chairs_by_body = defaultdict(dict)
    for chair in chairs:
        chairs_by_body[chair.body][chair.role] = chair.person
        if chair.term:  # "t.o.m. december 2019", as the plan says it
            chairs_by_body[chair.body]["term"] = chair.term
    kinds = {c.kind for c in chapters}
    budget = getattr(plan, "budget", None) if "budget" in kinds else None
    document = {
        "plan": plan,
        "chapters": chapters,
        "areas": areas,
        "areas_have_purposes": any(a.purpose or a.governing_document for a in areas),
        "chairs_by_body": dict(chairs_by_body),
        "calendar_events": events_for_plan(plan, printed=printed_names_of(plan)) if "calendar" in kinds else [],
        "rotations": rotations_for_plan(plan) if kinds & {"conferences", "organisation"} else [],
        "show_rotations_in": "conferences" if "conferences" in kinds else "organisation",
        "activities": list(activities_for_plan(plan)) if "action_plan" in kinds else [],
        "budget": budget_summary(budget) if budget else None,
    }
    work_plan_printed_names_apply(plan, document)
    return document


HOME_EVENT_COUNT = 5


def home_page(user, today) -> dict:
    """The start page: the latest plan the user may read, the programme that plan
    follows (and a newer programme, if one exists, named separately), and the plan's
    next meetings, or its most recent ones when none are still to come."""
    from calendar_app.selectors import events_with_details

    plan = (
        visible_plans(user).filter(year__lte=today.year).order_by("-year").first()
        or visible_plans(user).order_by("year").first()
    )
    programme = plan.programme if plan else Programme.objects.filter(valid_from__lte=today.year).order_by("-valid_from").first()
    newer_programme = (
        Programme.objects.filter(valid_from__gt=programme.valid_from).order_by("-valid_from").first() if programme else None
    )
    events, events_are_past = [], False
    if plan:
        plan_events = events_with_details().held().filter(plan=plan)
        events = list(plan_events.filter(sort_key__gte=today)[:HOME_EVENT_COUNT])
        if not events:
            events = list(plan_events.order_by("-sort_key", "-id")[:HOME_EVENT_COUNT])[::-1]
            events_are_past = bool(events)
    return {
        "current_plan": plan,
        "programme": programme,
        "newer_programme": newer_programme,
        "events": events,
        "events_are_past": events_are_past,
    }
