"""Kontroll före beslut: what must be right before a plan is proposed or decided.

One checklist, shown on the plan's admin page and enforced by the services
themselves, `work_plan_propose` and `work_plan_decide` (secretariat/services.py), whatever
calls them: the admin's "Lägg fram för beslut" and "Registrera beslut", the shell,
scripts. Errors block; warnings may be passed only with an explicit confirmation
(`confirm_warnings=True`), which is stored with the step (`PlanCheckConfirmation`:
which warnings, by whom, when).

This module does not import the services: they import it.
"""
import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.urls import reverse

from sodertorn.templatetags.sodertorn import format_kronor

from plans.models import Activity, Body, Chairmanship, CollaborationTopic, PlanCheckConfirmation, WorkPlan

ERROR, WARNING = "error", "warning"


@dataclass
class Check:
    level: str
    message: str
    details: list[str] = field(default_factory=list)
    link: str = ""
    link_text: str = ""


@dataclass
class Checklist:
    plan: WorkPlan
    items: list[Check] = field(default_factory=list)

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.items if c.level == ERROR]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.items if c.level == WARNING]

    @property
    def is_clear(self) -> bool:
        return not self.items

    def add(self, level: str, message: str, **kwargs) -> None:
        self.items.append(Check(level, message, **kwargs))


def _kr(amount: int) -> str:
    return f"{format_kronor(amount)}\u00a0kr"


from sodertorn.swedish import swedish_date as _swedish_date  # noqa: E402


# -- the year still named after a copy ---------------------------------------------


@dataclass
class YearMention:
    place: str
    excerpt: str
    link: str

    def __str__(self):
        return f"{self.place}: ”{self.excerpt}”"


def _excerpts(text: str, year: int) -> list[str]:
    found = []
    for match in re.finditer(rf"\b{year}\b", text or ""):
        start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
        snippet = " ".join(text[start:end].split())
        found.append(("…" if start else "") + snippet + ("…" if end < len(text) else ""))
    return found


def plan_year_mentions(plan: WorkPlan, year: int) -> list[YearMention]:
    """Every place in the plan's own text that names `year` (typically the year the
    plan was copied from): chapters, collaboration areas and topics, activities,
    the budget's lines and note. (5 queries.)"""
    mentions: list[YearMention] = []

    def scan(place, link, *texts):
        for text in texts:
            mentions.extend(YearMention(place, excerpt, link) for excerpt in _excerpts(text, year))

    plan_link = reverse("admin:plans_workplan_change", args=[plan.pk])
    scan("Planens titel", plan_link, plan.title, plan.subtitle)
    for chapter in plan.chapters.order_by("position"):
        scan(f"Kapitel {chapter.heading}", reverse("admin:plans_chapter_change", args=[chapter.pk]),
             chapter.title, chapter.body)
    for area in plan.areas.order_by("position"):
        scan(f"Samverkansområde ”{area.title}”", reverse("admin:plans_collaborationarea_change", args=[area.pk]),
             area.title, area.purpose, area.governing_document, area.body)
    for topic in CollaborationTopic.objects.filter(area__plan=plan).order_by("area__position", "position"):
        scan(f"Inriktning ”{topic.title}”", reverse("admin:plans_collaborationtopic_change", args=[topic.pk]),
             topic.title, topic.body)
    for activity in plan.activities.order_by("position", "id"):
        scan(f"Aktivitet ”{activity.title}”", reverse("admin:plans_activity_change", args=[activity.pk]),
             activity.title, activity.objective, activity.description, activity.responsible_text,
             activity.date_text, activity.comment)
    budget = getattr(plan, "budget", None)
    if budget is not None:
        budget_link = reverse("admin:budget_budget_change", args=[budget.pk])
        scan("Budgetens anmärkning", budget_link, budget.note)
        for line in budget.lines.order_by("kind", "position"):
            scan(f"Budgetposten ”{line.label}”", budget_link, line.label, line.note)
    return mentions


# -- the checklist -------------------------------------------------------------------


def work_plan_checklist(plan: WorkPlan) -> Checklist:
    """Everything that should be right before `plan` is proposed or decided."""
    checklist = Checklist(plan)
    _check_budget(plan, checklist)
    _check_chairs(plan, checklist)
    _check_calendar(plan, checklist)
    _check_goals(plan, checklist)
    _check_old_year(plan, checklist)
    return checklist


def _check_budget(plan: WorkPlan, checklist: Checklist) -> None:
    from budget.selectors import budget_for_plan, budget_summary
    from budget.schedules import fees_for_budget

    budget = budget_for_plan(plan)
    if budget is None:
        checklist.add(ERROR, f"Planen har ingen budget för {plan.year}.")
        return
    link = reverse("admin:budget_budget_change", args=[budget.pk])
    summary = budget_summary(budget)
    if not summary["balances"]:
        checklist.add(
            ERROR,
            f"Budgeten är inte i balans: intäkterna är {_kr(summary['income_total'])} och kostnaderna "
            f"{_kr(summary['cost_total'])} (skillnad {_kr(summary['imbalance'])}).",
            link=link, link_text="Öppna budgeten",
        )
    schedule = fees_for_budget(budget)
    if schedule.missing:
        names = ", ".join(figure.municipality.name for figure in schedule.missing)
        checklist.add(
            ERROR,
            f"Folkmängd den {_swedish_date(schedule.reference_date)} saknas för {names}; "
            "avgifterna kan inte beräknas.",
            link=reverse("admin:budget_population_changelist"), link_text="Folkmängd",
        )
    for problem in schedule.problems:
        checklist.add(ERROR, problem, link=link, link_text="Öppna budgeten")
    if schedule.member_fee_income is None and not schedule.problems:
        checklist.add(ERROR, "Budgeten har ingen intäktspost markerad som medlemsavgifter.", link=link,
                      link_text="Öppna budgeten")
    elif schedule.difference:
        checklist.add(
            ERROR,
            f"Raden för medlemsavgifterna ({_kr(schedule.member_fee_income)}) stämmer inte med summan av "
            f"kommunernas avgifter ({_kr(schedule.fee_total)}); skillnad {_kr(abs(schedule.difference))}.",
            link=link, link_text="Öppna budgeten",
        )
    if schedule.reference_date < datetime.date(plan.year - 1, 1, 1):
        checklist.add(
            WARNING,
            f"Avgifterna bygger på folkmängden den {_swedish_date(schedule.reference_date)}, "
            f"mer än ett år före {plan.year}. Finns nyare siffror?",
            link=link, link_text="Öppna budgeten",
        )


def chairs_link(plan: WorkPlan) -> str:
    return reverse("admin:plans_workplan_chairs", args=[plan.pk])


def _check_chairs(plan: WorkPlan, checklist: Checklist) -> None:
    bodies = list(Body.objects.filter(kind__in=[Body.Kind.COMMITTEE, Body.Kind.MANAGEMENT]).order_by("position"))
    present = set(Chairmanship.objects.filter(year=plan.year, body__in=bodies).values_list("body_id", "role"))
    missing = [
        f"{label.lower()} i {body.short_name}"
        for body in bodies
        for role, label in Chairmanship.Role.choices
        if (body.pk, role) not in present
    ]
    if missing:
        checklist.add(ERROR, f"Årets ordförande saknas för {plan.year}: {', '.join(missing)}.",
                      link=chairs_link(plan), link_text="Fyll i årets ordförande")


def _check_calendar(plan: WorkPlan, checklist: Checklist) -> None:
    """The calendar's rules (calendar_app.selectors: meetings_short, hosts_short, the
    same rules as the calendar warnings) at this checklist's levels: too few committee
    meetings is an error, the rest warnings; only a missing host, not too few."""
    from calendar_app.models import Event
    from calendar_app.selectors import host_years, hosts_short, meetings_short

    events = Event.objects.filter(year=plan.year)
    calendar_link = reverse("admin:calendar_app_event_changelist") + f"?year={plan.year}"
    for body, count in meetings_short(year=plan.year):
        level = ERROR if body.kind == Body.Kind.COMMITTEE else WARNING
        checklist.add(
            level,
            f"{body.short_name} har {count} möte{'n' if count != 1 else ''} i kalendern {plan.year}; "
            f"samarbetsavtalet kräver minst {body.min_meetings_per_year}.",
            link=calendar_link, link_text="Kalendern",
        )
    for series, this in hosts_short(host_years(years=range(plan.year - 1, plan.year + 1)), plan.year):
        if this is None or not this.hosts:
            checklist.add(WARNING, f"{series.name} saknar värdkommun {plan.year}.",
                          link=reverse("admin:calendar_app_hostrotation_changelist"), link_text="Värdskap")
    preliminary = list(events.filter(preliminary=True).select_related("body", "series").order_by("sort_key"))
    if preliminary:
        checklist.add(
            WARNING,
            f"{len(preliminary)} händelse{'r' if len(preliminary) != 1 else ''} {plan.year} är "
            f"preliminär{'a' if len(preliminary) != 1 else ''} "
            "och syns inte för allmänheten eller i kalenderfilerna.",
            details=[f"{e.display_title} {e.date_display(with_year=True)}" for e in preliminary],
            link=calendar_link + "&preliminary__exact=1", link_text="Bekräfta händelserna",
        )


def programme_change_link(plan: WorkPlan) -> str:
    return reverse("admin:plans_workplan_programme", args=[plan.pk])


def _check_goals(plan: WorkPlan, checklist: Checklist) -> None:
    activities = list(Activity.objects.filter(plan=plan, goal__isnull=False).exclude(goal__programme=plan.programme)
                      .select_related("goal__programme"))
    topics = list(CollaborationTopic.objects.filter(area__plan=plan, goal__isnull=False)
                  .exclude(goal__programme=plan.programme).select_related("goal__programme"))
    if activities or topics:
        details = [f"Aktivitet ”{a.title}”: {a.goal}" for a in activities]
        details += [f"Inriktning ”{t.title}”: {t.goal}" for t in topics]
        checklist.add(
            ERROR,
            f"{len(activities)} aktiviteter och {len(topics)} inriktningar har mål som inte hör till planens "
            f"program {plan.programme}.",
            details=details, link=programme_change_link(plan), link_text="Byt mål till planens program",
        )


def _check_old_year(plan: WorkPlan, checklist: Checklist) -> None:
    mentions = plan_year_mentions(plan, plan.year - 1)
    if mentions:
        checklist.add(
            WARNING,
            f"Texten nämner fortfarande {plan.year - 1} på {len(mentions)} ställe{'n' if len(mentions) != 1 else ''}. "
            "Kontrollera att det är avsiktligt.",
            details=[str(m) for m in mentions],
        )


# -- enforcement -----------------------------------------------------------------------


def work_plan_checklist_enforce(*, plan: WorkPlan, step: str, user, confirm_warnings: bool) -> None:
    """Refuses `step` while the checklist has errors, or warnings that were not
    confirmed; confirmed warnings are recorded (`PlanCheckConfirmation`) with `user`,
    who is None only for a call without a signed-in person (shell, scripts): the record
    then says so by having no "bekräftad av".

    Called by the services themselves (work_plan_propose, work_plan_decide) inside
    their transaction, so every path is checked and a later refusal also drops the
    record."""
    checklist = work_plan_checklist(plan)
    if checklist.errors:
        raise ValidationError(
            ["Kontrollen före beslut hittade fel som måste rättas först:"] + [c.message for c in checklist.errors]
        )
    if checklist.warnings:
        if not confirm_warnings:
            raise ValidationError(
                "Kontrollen före beslut har varningar. Läs dem och kryssa i att du har gjort det för att gå vidare."
            )
        PlanCheckConfirmation.objects.create(
            plan=plan, step=step, warnings=[c.message for c in checklist.warnings], confirmed_by=user
        )
