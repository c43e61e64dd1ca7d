"""Writes that span several models of the plans app: the plan's own part of next
year's plan, sending the decided plan to the members. The work that also writes
other apps' rows (the whole copy, the decision flow) is in secretariat/services.py.

Each service checks first (raising ValidationError with a Swedish message) and then
writes in one transaction, so a refused action changes nothing.
"""
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from .decisions import municipal_decisions_send
from .models import (
    Activity,
    Chapter,
    CollaborationArea,
    CollaborationTopic,
    MunicipalDecision,
    Programme,
    WorkPlan,
)


def _next_year_date(value: datetime.date | None, years: int) -> datetime.date | None:
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _retitle(text: str, old_year: int, new_year: int) -> str:
    """"Budget 2017" → "Budget 2018": only the plan's own year, as a whole word."""
    return re.sub(rf"\b{old_year}\b", str(new_year), text)


def programme_in_force(year: int, *, prefer: Programme | None = None) -> Programme | None:
    """The development programme that applies to `year`: `prefer` (the source
    plan's) while it is still valid, else the newest programme valid that year."""
    def valid(programme):
        return programme.valid_from <= year and (programme.valid_to is None or year <= programme.valid_to)

    if prefer is not None and valid(prefer):
        return prefer
    candidates = [p for p in Programme.objects.filter(valid_from__lte=year).order_by("-valid_from") if valid(p)]
    return candidates[0] if candidates else None


@transaction.atomic
def work_plan_copy_parts_to_year(*, source: WorkPlan, year: int, programme: Programme | None = None) -> WorkPlan:
    """The plans part of copying `source` to `year` (secretariat.services.work_plan_copy_to_year
    is the whole copy): a draft plan with the chapters, collaboration areas and
    topics, and the action plan (follow-up reset, exact dates moved by the years
    between); chairs are left for the new year to fill. Writes only plans' rows."""
    if WorkPlan.objects.filter(year=year).exists():
        raise ValidationError(f"Det finns redan en verksamhetsplan för {year}. Välj ett annat år.")
    if year <= source.year:
        raise ValidationError(f"Den nya planen måste gälla ett senare år än {source.year}.")
    shift = year - source.year
    plan = WorkPlan(
        year=year,
        programme=programme or source.programme,
        title=_retitle(source.title, source.year, year),
        subtitle=source.subtitle,
        status=WorkPlan.Status.DRAFT,
    )
    plan.full_clean()
    plan.save()

    for chapter in source.chapters.order_by("position"):
        Chapter.objects.create(
            plan=plan, position=chapter.position, number=chapter.number, kind=chapter.kind,
            title=_retitle(chapter.title, source.year, year), body=chapter.body, document=chapter.document,
            source=chapter.source,
        )

    topics = {}
    for area in source.areas.prefetch_related("topics__networks").order_by("position"):
        new_area = CollaborationArea.objects.create(
            plan=plan, position=area.position, title=area.title, purpose=area.purpose,
            governing_document=area.governing_document, body=area.body, source=area.source,
        )
        for topic in area.topics.all():
            new_topic = CollaborationTopic.objects.create(
                area=new_area, position=topic.position, title=topic.title, goal=topic.goal,
                body=topic.body, source=topic.source,
            )
            new_topic.networks.set(topic.networks.all())
            topics[topic.pk] = new_topic

    activities = source.activities.prefetch_related(
        "responsible_municipalities", "responsible_networks", "responsible_people"
    ).order_by("position", "id")
    for activity in activities:
        copy = Activity.objects.create(
            plan=plan, position=activity.position, goal=activity.goal,
            topic=topics.get(activity.topic_id), objective=activity.objective, title=activity.title,
            description=activity.description, responsible_text=activity.responsible_text,
            cost=activity.cost, comment=activity.comment, source=activity.source,
            date_precision=activity.date_precision, start_date=_next_year_date(activity.start_date, shift),
            end_date=_next_year_date(activity.end_date, shift), month=activity.month,
            season=activity.season, date_text=activity.date_text,
        )
        copy.responsible_municipalities.set(activity.responsible_municipalities.all())
        copy.responsible_networks.set(activity.responsible_networks.all())
        copy.responsible_people.set(activity.responsible_people.all())

    return plan


@transaction.atomic
def municipal_decisions_mark_sent(*, plan: WorkPlan, sent_on: datetime.date) -> int:
    """Marks the plan as sent to every member that has not had it yet; returns how many."""
    if plan.status != WorkPlan.Status.DECIDED:
        raise ValidationError("Planen skickas till kommunerna först när samarbetskommittén har beslutat den.")
    if plan.decided_on and sent_on < plan.decided_on:
        raise ValidationError(f"Planen kan inte ha skickats före samarbetskommitténs beslut {plan.decided_on:%Y-%m-%d}.")
    return municipal_decisions_send(model=MunicipalDecision, subject=plan, sent_on=sent_on)
