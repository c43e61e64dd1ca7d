"""Reads for the budget pages, the fee tables and the plan's budget chapter.

One context builder per document: the budget page and the plan's budget chapter
use `budget_summary`; the fee page, its exports, the fee decision PDFs and the zip
use `fee_document`. Each runs a fixed number of queries however many lines a
budget has (see tests/budget/test_queries.py).
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from plans.models import WorkPlan

from .models import Budget, BudgetLine, Population
from .schedules import INVOICED_BY, FeeSchedule, fee_line_difference_text, fees_for_budget


def visible_budgets(user):
    """The budgets `user` may read (Budget.objects.visible_to; selects the plan).

    A budget belongs to its verksamhetsplan: until the committee has decided the
    plan, its budget is as unpublished as the plan itself."""
    return Budget.objects.visible_to(user).select_related("plan")


def budget_for_plan(plan: WorkPlan) -> Budget | None:
    """The plan's budget, with the plan selected, or None (1 query)."""
    return Budget.objects.filter(plan=plan).select_related("plan").first()


def newest_population_date() -> datetime.date | None:
    """The newest date on which every member municipality has a population figure."""
    from plans.models import Municipality

    members = Municipality.objects.members().count()
    complete = [
        date for date in Population.objects.values_list("date", flat=True).distinct().order_by("-date")
        if Population.objects.filter(date=date, municipality__is_member=True).count() == members
    ]
    return complete[0] if complete else None


def budget_overview(user):
    """The budget list: every visible budget with its totals (1 query)."""
    return (
        visible_budgets(user)
        .annotate(
            income_total=Sum("lines__amount", filter=Q(lines__kind=BudgetLine.Kind.INCOME)),
            cost_total=Sum("lines__amount", filter=Q(lines__kind=BudgetLine.Kind.COST)),
        )
        .order_by("-year")
    )


def budget_summary(budget: Budget, lines: list[BudgetLine] | None = None) -> dict:
    """Income and cost lines with totals and whether the budget balances (1 query).

    Lines with a note get a footnote number (`line.footnote`), counted through the
    income lines first and then the costs, as the plans print them. Pass `lines`
    when they are already fetched (0 queries)."""
    if lines is None:
        lines = list(budget.lines.order_by("kind", "position", "id"))
    lines = sorted(lines, key=lambda line: (line.kind != BudgetLine.Kind.INCOME, line.position, line.pk or 0))
    income = [line for line in lines if line.kind == BudgetLine.Kind.INCOME]
    costs = [line for line in lines if line.kind == BudgetLine.Kind.COST]
    footnotes = []
    for line in income + costs:
        line.footnote = None
        if line.note:
            footnotes.append(line.note)
            line.footnote = len(footnotes)
    income_total = sum(line.amount for line in income)
    cost_total = sum(line.amount for line in costs)
    return {
        "budget": budget,
        "income": income,
        "costs": costs,
        "income_total": income_total,
        "cost_total": cost_total,
        "balance": income_total - cost_total,
        "balances": income_total == cost_total,
        "imbalance": abs(income_total - cost_total),
        "member_fees": sum(line.amount for line in income if line.is_member_fees),
        "footnotes": footnotes,
        "approximate": any(line.approximate for line in lines),
        # Outcome, once the year is over (årsredovisning): totals only over lines with one.
        "has_outcome": any(line.actual_amount is not None for line in lines),
        "income_actual_total": sum(line.actual_amount or 0 for line in income),
        "cost_actual_total": sum(line.actual_amount or 0 for line in costs),
    }


@dataclass
class ComparisonRow:
    label: str
    previous: int | None
    current: int | None
    is_sum: bool = False

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous:
            return None
        return (Decimal(self.change) * 100 / self.previous).quantize(Decimal("0.1"))


def budget_comparison(current: dict, previous: dict) -> dict:
    """Line by line against the previous budget: lines are matched by their label
    within income or costs; a line only one year has is shown with a blank."""
    sections = []
    for key, total_key, title in (("income", "income_total", "Intäkter"), ("costs", "cost_total", "Kostnader")):
        before = {line.label: line.amount for line in previous[key]}
        now = {line.label: line.amount for line in current[key]}
        rows = [ComparisonRow(line.label, before.get(line.label), line.amount) for line in current[key]]
        rows += [ComparisonRow(line.label, line.amount, None) for line in previous[key] if line.label not in now]
        rows.append(ComparisonRow("Summa", previous[total_key], current[total_key], is_sum=True))
        sections.append({"title": title, "rows": rows})
    return {"previous_budget": previous["budget"], "sections": sections}


def budget_detail(budget: Budget, user) -> dict:
    """The budget page: lines, totals, balance, whether the member-fee line matches
    the fees, and the comparison (6 queries).

    The previous budget is the latest earlier one this user may see; when that is
    not the year before, the page says so."""
    current = budget_summary(budget)
    schedule = fees_for_budget(budget, lines=current["income"])
    fee_difference = fee_line_difference_text(schedule)
    previous_budget = (
        visible_budgets(user).filter(year__lt=budget.year).order_by("-year")
        .prefetch_related(Prefetch("lines", queryset=BudgetLine.objects.order_by("kind", "position", "id")))
        .first()
    )
    comparison = None
    if previous_budget is not None:
        previous = budget_summary(previous_budget, list(previous_budget.lines.all()))
        comparison = budget_comparison(current, previous)
    return {**current, "summary": current, "comparison": comparison, "fee_difference": fee_difference}


FEE_PDF_TEMPLATE = "budget/pdf/fee_decision.html"


def fee_document(budget: Budget, *, live: bool = False) -> dict:
    """Everything the fee page, its exports, the fee PDFs and the zip show (the fee
    schedule: 3 queries live, 2 from a decided plan's frozen fees, see
    fees_for_budget; the budget summary; and the municipalities' diarienummer for
    the plan, known once they have registered it)."""
    schedule: FeeSchedule = fees_for_budget(budget, live=live)
    references = {}
    if budget.plan_id:
        references = dict(
            budget.plan.municipal_decisions.exclude(reference="").values_list("municipality_id", "reference")
        )
    return {
        "decision_references": references,
        "budget": budget,
        "plan": budget.plan,
        "schedule": schedule,
        "rows": schedule.rows,
        "missing": schedule.missing,
        "reference_date": schedule.reference_date,
        "due_date": schedule.due_date,
        "invoiced_by": INVOICED_BY,
        "summary": budget_summary(budget),
    }


def fee_pdf_context(document: dict, municipality, *, base_url: str) -> dict:
    """The fee decision PDF of one member: `document` from fee_document, links made
    absolute with `base_url` ("https://host/"). It is dated by the budget's decision
    (the plan's), not by the day it is printed; unknown for budgets decided before
    the system."""
    from django.urls import reverse

    schedule = document["schedule"]
    plan = document["plan"]
    root = base_url.rstrip("/")
    return {
        **document,
        "municipality": municipality,
        "row": schedule.row_for(municipality),
        "diarienummer": document["decision_references"].get(municipality.pk, ""),
        "document_date": plan.decided_on if plan else None,
        "plan_url": root + plan.get_absolute_url() if plan else "",
        "fees_url": root + reverse("budget:fee_table", args=[document["budget"].year]),
    }
