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
    PlanArchive,
    PlanReopening,
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


# What the copy to next year does with every field of every model it writes: each
# field is copied as it is (or as `work_plan_copy_parts_to_year` changes it: the year
# in titles, dates moved by the years between, the topic its copy) or reset to its
# default on purpose. tests/plans/test_copy_fields.py fails on a field in neither list,
# so a new field is decided here before it is forgotten.
COPY_FIELDS: dict[type, dict[str, tuple[str, ...]]] = {
    WorkPlan: {
        "copied": ("programme", "title", "subtitle"),
        # A new draft: the new year, no decision and no reopening; the source document and the host
        # table's years are those of the plan the secretariat writes, not the old one's.
        "reset": ("year", "status", "decided_on", "decided_by", "decision_reference", "last_reopening", "printed_names",
                  "rotation_years", "source", "version"),
    },
    Chapter: {
        "copied": ("position", "number", "kind", "title", "body", "document", "source"),
        "reset": ("plan", "version"),
    },
    CollaborationArea: {
        "copied": ("position", "number", "title", "purpose", "governing_document", "body", "source"),
        "reset": ("plan", "version"),
    },
    CollaborationTopic: {
        "copied": ("position", "title", "goal", "body", "source", "networks"),
        "reset": ("area", "version"),
    },
    Activity: {
        "copied": ("position", "goal", "topic", "objective", "title", "description", "responsible_text", "cost",
                   "cost_illegible", "comment", "source", "date_precision", "start_date", "end_date", "month",
                   "season", "date_text", "responsible_municipalities", "responsible_networks",
                   "responsible_people"),
        # The follow-up is the new year's to write.
        "reset": ("plan", "version", "follow_up_status", "outcome", "actual_cost"),
    },
}


def _copied_values(instance, **changed) -> dict:
    """The copied fields of `instance` (COPY_FIELDS) as keyword arguments for a new
    row, foreign keys by id (no query); `changed` replaces or adds values."""
    values = {}
    for name in COPY_FIELDS[type(instance)]["copied"]:
        field = type(instance)._meta.get_field(name)
        if not field.many_to_many:
            values[field.attname] = getattr(instance, field.attname)
    for name, value in changed.items():
        field = type(instance)._meta.get_field(name)
        values.pop(field.attname, None)
        values[name] = value
    return values


def _copy_many_to_many(instance, copy) -> None:
    """The copied many-to-many fields of `instance` (COPY_FIELDS) onto `copy`."""
    for name in COPY_FIELDS[type(instance)]["copied"]:
        if type(instance)._meta.get_field(name).many_to_many:
            getattr(copy, name).set(getattr(instance, name).all())


@transaction.atomic
def work_plan_copy_parts_to_year(*, source: WorkPlan, year: int, programme: Programme | None = None) -> WorkPlan:
    """The plans part of copying `source` to `year` (secretariat.services.work_plan_copy_to_year
    is the whole copy): a draft plan with the chapters, collaboration areas and
    topics, and the action plan (follow-up reset, exact dates moved by the years
    between); chairs are left for the new year to fill. Writes only plans' rows;
    what happens to each field is listed in COPY_FIELDS."""
    if WorkPlan.objects.filter(year=year).exists():
        raise ValidationError(f"Det finns redan en verksamhetsplan för {year}. Välj ett annat år.")
    if year <= source.year:
        raise ValidationError(f"Den nya planen måste gälla ett senare år än {source.year}.")
    shift = year - source.year
    plan = WorkPlan(**_copied_values(
        source, year=year, programme=programme or source.programme,
        title=_retitle(source.title, source.year, year), status=WorkPlan.Status.DRAFT,
    ))
    plan.full_clean()
    plan.save()

    for chapter in source.chapters.order_by("position"):
        Chapter.objects.create(**_copied_values(chapter, plan=plan, title=_retitle(chapter.title, source.year, year)))

    topics = {}
    for area in source.areas.prefetch_related("topics__networks").order_by("position"):
        new_area = CollaborationArea.objects.create(**_copied_values(area, plan=plan))
        for topic in area.topics.all():
            new_topic = CollaborationTopic.objects.create(**_copied_values(topic, area=new_area))
            _copy_many_to_many(topic, new_topic)
            topics[topic.pk] = new_topic

    activities = source.activities.prefetch_related(
        "responsible_municipalities", "responsible_networks", "responsible_people"
    ).order_by("position", "id")
    for activity in activities:
        copy = Activity.objects.create(**_copied_values(
            activity, plan=plan, topic=topics.get(activity.topic_id),
            start_date=_next_year_date(activity.start_date, shift), end_date=_next_year_date(activity.end_date, shift),
        ))
        _copy_many_to_many(activity, copy)

    return plan


@transaction.atomic
def municipal_decisions_mark_sent(*, plan: WorkPlan, sent_on: datetime.date) -> int:
    """Marks the plan as sent to every member that has not had it yet; returns how many."""
    if plan.status != WorkPlan.Status.DECIDED:
        raise ValidationError("Planen skickas till kommunerna först när samarbetskommittén har beslutat den.")
    if plan.decided_on and sent_on < plan.decided_on:
        raise ValidationError(f"Planen kan inte ha skickats före samarbetskommitténs beslut {plan.decided_on:%Y-%m-%d}.")
    return municipal_decisions_send(model=MunicipalDecision, subject=plan, sent_on=sent_on)


# -- the plan's own rows in the decision flow -----------------------------------------
# The roof (secretariat/services.py) checks, renders and freezes the fees; these
# write the plan's rows, as the plans app's own services.


@transaction.atomic
def work_plan_record_proposal(*, plan: WorkPlan) -> WorkPlan:
    """Utkast → för beslut (the checks are the caller's)."""
    plan.status = WorkPlan.Status.PROPOSED
    plan._lock_workflow = True
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def work_plan_record_decision(
    *, plan: WorkPlan, decided_on: datetime.date, decided_by, reference: str, printed_names: dict,
    pdf: bytes, weasyprint_version: str, pdf_variant: str,
) -> PlanArchive:
    """För beslut → beslutad with the names the decided document printed, and its
    PDF archived, in one transaction (the plan's row is locked after it)."""
    import hashlib

    plan.status = WorkPlan.Status.DECIDED
    plan.decided_on, plan.decided_by, plan.decision_reference = decided_on, decided_by, reference.strip()
    plan.printed_names = printed_names
    plan._lock_workflow = True
    plan.full_clean()
    plan.save()
    return PlanArchive.objects.create(
        plan=plan, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
        weasyprint_version=weasyprint_version, pdf_variant=pdf_variant, decided_on=decided_on,
    )


@transaction.atomic
def work_plan_record_reopening(*, plan: WorkPlan, reason: str, user) -> PlanReopening:
    """Beslutad → utkast, through the one recorded way out (WorkPlan.is_reopening)."""
    previous = f"Beslutad {plan.decided_on or 'okänt datum'} av {plan.decided_by or 'okänt organ'} {plan.decision_reference}".strip()
    reopening = PlanReopening.objects.create(plan=plan, reason=reason.strip(), previous_decision=previous, reopened_by=user)
    plan.status = WorkPlan.Status.DRAFT
    plan.decided_on, plan.decided_by, plan.decision_reference = None, None, ""
    plan.printed_names = {}  # a draft shows the registers as they are; the next decision keeps them again
    plan.last_reopening = reopening
    plan.save()
    return reopening
