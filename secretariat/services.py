"""The work that spans apps: next year's plan (the plan's parts, its calendar and
its budget) and the decision flow (propose, decide with the archived PDF and the
frozen fees, reopen).

Each service checks first (raising ValidationError with a Swedish message) and then
writes in one transaction, so a refused action changes nothing.
"""
import datetime
import functools

import weasyprint
from django.core.exceptions import ValidationError
from django.db import transaction

from budget.selectors import budget_for_plan
from budget.services import budget_copy_to_plan, budget_fees_freeze
from calendar_app.services import conference_events_from_rotations
from plans.models import Body, PlanArchive, PlanCheckConfirmation, PlanReopening, Programme, WorkPlan
from plans.selectors import work_plan_printed_names_take
from plans.services import (
    work_plan_copy_parts_to_year,
    work_plan_record_decision,
    work_plan_record_proposal,
    work_plan_record_reopening,
)
from sodertorn.pdf import VARIANTS, html_to_pdf, render_html

from .checks import work_plan_checklist_enforce


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
    plan = work_plan_copy_parts_to_year(source=source, year=year, programme=programme)
    conference_events_from_rotations(plan=plan)
    old_budget = budget_for_plan(source)
    if old_budget is not None:
        budget_copy_to_plan(source=old_budget, plan=plan)
    return plan


@transaction.atomic
def work_plan_propose(*, plan: WorkPlan, user, confirm_warnings: bool = False) -> WorkPlan:
    """Utkast → för beslut, once Kontroll före beslut passes (secretariat/checks.py):
    errors refuse, warnings need `confirm_warnings`, recorded with `user` (None
    only without a signed-in person, e.g. the shell: recorded without one)."""
    if plan.status != WorkPlan.Status.DRAFT:
        raise ValidationError(f"Bara ett utkast kan läggas fram för beslut; planen är {plan.get_status_display().lower()}.")
    work_plan_checklist_enforce(plan=plan, step=PlanCheckConfirmation.Step.PROPOSE, user=user,
                                confirm_warnings=confirm_warnings)
    work_plan_record_proposal(plan=plan)
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
    # The document is rendered as decided (in memory) before anything is saved; the
    # names it printed are kept in the same save as the status (plans' own service).
    plan.status = WorkPlan.Status.DECIDED
    plan.decided_on, plan.decided_by, plan.decision_reference = decided_on, decided_by, reference.strip()
    plan.printed_names = {}  # the document below shows the registers as they are now
    document = work_plan_document(plan)
    html = render_html("plans/pdf/work_plan.html", document)
    archive = work_plan_record_decision(
        plan=plan, decided_on=decided_on, decided_by=decided_by, reference=reference,
        printed_names=work_plan_printed_names_take(plan, document), pdf=html_to_pdf(html, "ua"),
        weasyprint_version=weasyprint.__version__, pdf_variant=VARIANTS["ua"],
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
    return work_plan_record_reopening(plan=plan, reason=reason, user=user)


def printed_names_fill() -> list[str]:
    """Keeps the names that decided plans and justerade minutes without a snapshot
    print now (WorkPlan.printed_names, Meeting.printed_names): the plans decided
    before this system, and records decided or justerade before snapshots existed.
    A snapshot once kept is never replaced. Only under `lock_bypass()` (the seed
    loader, a data migration): the rows are locked. Returns what was filled."""
    from meetings.models import Meeting
    from meetings.selectors import meeting_document, meeting_printed_names_take

    from .selectors import work_plan_document

    filled = []
    plans = WorkPlan.objects.filter(status=WorkPlan.Status.DECIDED, printed_names={}).select_related("programme", "decided_by")
    for plan in plans:
        names = work_plan_printed_names_take(plan, work_plan_document(plan))
        WorkPlan.objects.filter(pk=plan.pk).update(printed_names=names)
        filled.append(f"plan {plan.year}")
    meetings = Meeting.objects.filter(status=Meeting.Status.APPROVED, printed_names={}).select_related(
        "event__body", "event__place", "chair", "secretary")
    for meeting in meetings:
        names = meeting_printed_names_take(meeting_document(meeting, public=False))
        Meeting.objects.filter(pk=meeting.pk).update(printed_names=names)
        filled.append(f"sammanträde {meeting}")
    return filled

