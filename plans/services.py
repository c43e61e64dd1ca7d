"""Writes that span several models: next year's plan, and the decision flow.

Each service checks first (raising ValidationError with a Swedish message) and then
writes in one transaction, so a refused action changes nothing.
"""
import datetime
import functools
import hashlib
import re

import weasyprint
from django.core.exceptions import ValidationError
from django.db import transaction

from budget.selectors import budget_for_plan
from budget.services import budget_copy_to_plan, budget_fees_freeze
from calendar_app.services import conference_events_from_rotations
from sodertorn.pdf import VARIANTS, html_to_pdf, render_html

from .checks import work_plan_checklist_enforce
from .decisions import municipal_decisions_send
from .models import (
    Activity,
    Body,
    Chapter,
    CollaborationArea,
    CollaborationTopic,
    MunicipalDecision,
    PlanArchive,
    PlanCheckConfirmation,
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


@transaction.atomic
def work_plan_copy_to_year(*, source: WorkPlan, year: int, programme: Programme | None = None) -> WorkPlan:
    """A draft plan for `year` made from `source`, which does not change.

    Copies chapters, collaboration areas and topics, and the action plan (follow-up
    reset, exact dates moved by the years between), takes the conference hosts of
    the new year from the rotations, leaves chairs for the new year to fill, and
    copies the budget lines with the member fees recomputed on the newest complete
    population figures.

    `programme` defaults to the source's; when it differs, the activities and
    topics keep their old goals for the checklist and the programme change page
    to deal with."""
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

    conference_events_from_rotations(plan=plan)
    old_budget = budget_for_plan(source)
    if old_budget is not None:
        budget_copy_to_plan(source=old_budget, plan=plan)
    return plan


@transaction.atomic
def work_plan_propose(*, plan: WorkPlan, user, confirm_warnings: bool = False) -> WorkPlan:
    """Utkast → för beslut, once Kontroll före beslut passes (plans/checks.py):
    errors refuse, warnings need `confirm_warnings`, recorded with `user` (None
    only without a signed-in person, e.g. the shell: recorded without one)."""
    if plan.status != WorkPlan.Status.DRAFT:
        raise ValidationError(f"Bara ett utkast kan läggas fram för beslut; planen är {plan.get_status_display().lower()}.")
    work_plan_checklist_enforce(plan=plan, step=PlanCheckConfirmation.Step.PROPOSE, user=user,
                                confirm_warnings=confirm_warnings)
    plan.status = WorkPlan.Status.PROPOSED
    plan._lock_workflow = True
    plan.save(update_fields=["status"])
    # The kommunstyrelser's readers should not wait for WeasyPrint: render the PDFs
    # once the status is committed (a failure is logged; they render on demand then).
    from .pdfs import work_plan_pdfs_prerender_quietly

    transaction.on_commit(functools.partial(work_plan_pdfs_prerender_quietly, plan.pk))
    return plan


@transaction.atomic
def work_plan_decide(
    *,
    plan: WorkPlan,
    user,
    confirm_warnings: bool = False,
    decided_on: datetime.date,
    decided_by: Body,
    reference: str,
    base_url: str = "",
) -> PlanArchive:
    """För beslut → beslutad, and the plan's PDF frozen for the archive; so are its
    budget's fees and each member's fee decision PDF (budget_fees_freeze), whose
    links start with `base_url` ("https://host/"). Kontroll före beslut runs first,
    as for work_plan_propose."""
    from .selectors import work_plan_document

    if plan.status != WorkPlan.Status.PROPOSED:
        raise ValidationError("Planen måste vara lagd för beslut innan den kan beslutas.")
    if not decided_on or not decided_by or not reference.strip():
        raise ValidationError("Ange beslutsdatum, beslutande organ och paragraf/referens.")
    if decided_on > datetime.date.today():
        raise ValidationError("Beslutsdatumet kan inte ligga i framtiden.")
    work_plan_checklist_enforce(plan=plan, step=PlanCheckConfirmation.Step.DECIDE, user=user,
                                confirm_warnings=confirm_warnings)
    plan.status = WorkPlan.Status.DECIDED
    plan.decided_on, plan.decided_by, plan.decision_reference = decided_on, decided_by, reference.strip()
    plan._lock_workflow = True
    plan.full_clean()
    plan.save()
    html = render_html("plans/pdf/work_plan.html", work_plan_document(plan))
    pdf = html_to_pdf(html, "ua")
    archive = PlanArchive.objects.create(
        plan=plan, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
        weasyprint_version=weasyprint.__version__, pdf_variant=VARIANTS["ua"], decided_on=decided_on,
    )
    budget = budget_for_plan(plan)
    if budget is not None:
        budget_fees_freeze(budget=budget, decided_on=decided_on, base_url=base_url)
    return archive


@transaction.atomic
def work_plan_reopen(*, plan: WorkPlan, reason: str, user) -> PlanReopening:
    """Beslutad → utkast, with the reason and the earlier decision on record.
    The archived PDFs stay."""
    if plan.status != WorkPlan.Status.DECIDED:
        raise ValidationError("Bara en beslutad plan kan öppnas igen.")
    if len((reason or "").strip()) < 10:
        raise ValidationError("Skriv varför planen öppnas igen (minst tio tecken).")
    previous = f"Beslutad {plan.decided_on or 'okänt datum'} av {plan.decided_by or 'okänt organ'} {plan.decision_reference}".strip()
    reopening = PlanReopening.objects.create(plan=plan, reason=reason.strip(), previous_decision=previous, reopened_by=user)
    plan.status = WorkPlan.Status.DRAFT
    plan.decided_on, plan.decided_by, plan.decision_reference = None, None, ""
    plan._lock_reopening = reopening  # the only key to a decided plan (plans/lock.py)
    plan.save()
    return reopening


@transaction.atomic
def municipal_decisions_mark_sent(*, plan: WorkPlan, sent_on: datetime.date) -> int:
    """Marks the plan as sent to every member that has not had it yet; returns how many."""
    if plan.status != WorkPlan.Status.DECIDED:
        raise ValidationError("Planen skickas till kommunerna först när samarbetskommittén har beslutat den.")
    if plan.decided_on and sent_on < plan.decided_on:
        raise ValidationError(f"Planen kan inte ha skickats före samarbetskommitténs beslut {plan.decided_on:%Y-%m-%d}.")
    return municipal_decisions_send(model=MunicipalDecision, subject=plan, sent_on=sent_on)
