"""Byt utvecklingsprogram: move a plan to another programme, re-linking every goal
its activities and topics use to a goal of the new programme in one go."""
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Activity, CollaborationTopic, Goal, Programme, WorkPlan


@dataclass
class GoalToMap:
    goal: Goal
    activities: list[Activity] = field(default_factory=list)
    topics: list[CollaborationTopic] = field(default_factory=list)
    suggestion: Goal | None = None


def _similarity(old: Goal, new: Goal) -> float:
    """Title likeness, with a bonus for a goal on the same level of the tree."""
    ratio = SequenceMatcher(None, old.title.lower(), new.title.lower()).ratio()
    return ratio + (0.15 if old.level.depth == new.level.depth else 0)


def programme_change_goals(plan: WorkPlan, programme: Programme) -> list[GoalToMap]:
    """Every goal outside `programme` used by the plan's activities and topics, with
    the goal of `programme` that looks most like it (by title and level). (3 queries.)"""
    targets = list(Goal.objects.filter(programme=programme).select_related("level", "programme"))
    used: dict[int, GoalToMap] = {}
    for activity in (Activity.objects.filter(plan=plan, goal__isnull=False).exclude(goal__programme=programme)
                     .select_related("goal__level", "goal__programme").order_by("position", "id")):
        used.setdefault(activity.goal_id, GoalToMap(activity.goal)).activities.append(activity)
    for topic in (CollaborationTopic.objects.filter(area__plan=plan, goal__isnull=False)
                  .exclude(goal__programme=programme).select_related("goal__level", "goal__programme")
                  .order_by("area__position", "position")):
        used.setdefault(topic.goal_id, GoalToMap(topic.goal)).topics.append(topic)
    for entry in used.values():
        if targets:
            entry.suggestion = max(targets, key=lambda g: _similarity(entry.goal, g))
    return sorted(used.values(), key=lambda e: (e.goal.programme_id, e.goal.level.depth, e.goal.position, e.goal.pk))


@transaction.atomic
def work_plan_programme_change(*, plan: WorkPlan, programme: Programme, mapping: dict[int, Goal | None]) -> int:
    """The plan under `programme`, every old goal replaced by `mapping[old goal id]`
    (None: the activity or topic keeps no goal). Checks everything first and writes
    nothing if anything is wrong. Returns how many activities and topics changed."""
    if plan.is_locked:
        raise ValidationError("Planen är beslutad. Öppna den igen innan programmet byts.")
    errors = []
    to_map = programme_change_goals(plan, programme)
    for entry in to_map:
        if entry.goal.pk not in mapping:
            errors.append(f"Välj ett nytt mål för ”{entry.goal.title}” ({entry.goal.programme}).")
        elif mapping[entry.goal.pk] is not None and mapping[entry.goal.pk].programme_id != programme.pk:
            errors.append(f"”{mapping[entry.goal.pk].title}” hör till {mapping[entry.goal.pk].programme}, inte {programme}.")
    plan.programme = programme
    try:
        plan.full_clean()
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    plan.save()  # Versioned.save raises the version (and refuses a stale one)
    changed = 0
    for entry in to_map:
        new = mapping[entry.goal.pk]
        for item in entry.activities + entry.topics:
            item.goal = new
            item.save(update_fields=["goal"])  # one by one, so each change is in the history
            changed += 1
    return changed


class ProgrammeChangeGuard:
    """For the plan's admin form: a new programme chosen in the plus field while
    activities and topics still use goals of the old one gives one message that
    leads to "Byt utvecklingsprogram", instead of one error per activity."""

    def clean_programme(self):
        from django.urls import reverse
        from django.utils.html import format_html

        programme = self.cleaned_data.get("programme")
        plan = self.instance
        if plan.pk and programme is not None and programme.pk != plan.programme_id:
            used = programme_change_goals(plan, programme)
            if used:
                raise ValidationError(format_html(
                    "{} mål som planens aktiviteter och inriktningar använder hör inte till {}. "
                    '<a href="{}?programme={}">Byt utvecklingsprogram</a> byter dem alla på en gång.',
                    len(used), programme, reverse("admin:plans_workplan_programme", args=[plan.pk]), programme.pk,
                ), code="goals_of_old_programme")
        return programme
