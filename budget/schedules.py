"""The fee schedule of a budget: each member's fee under the budget's fee rule and
what is missing to compute it, or the frozen fees of a decided plan. Reads only:
the pages and documents (budget/selectors.py) and the writes (budget/services.py)
both use it, and it imports neither.

The fee rules (Samarbetsavtalet § 7, § 8 and the committee's decision of 2017-02-02):
- share: the budget's member-fee income is split in proportion to each member's
  population on the reference date;
- per_inhabitant: each member pays a fixed rate per inhabitant;
- indexed (§ 8): a base total (860 000 kr in 2010) split by population on a base
  date, after which each municipality's fee moves by the same percentage as its
  own population. The yearly steps telescope, so the fee of any year is
  base_total × population(reference date) / total population(base date).

Fees are whole kronor; the arithmetic (largest remainder, the three rules, the one
rounding rule: half up) lives in the pure module `budget.fees`, this module fetches
the figures and applies it. A missing population figure is reported, never
estimated: a fee that depends on it is None.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Prefetch, Sum

from plans.models import Municipality
from sodertorn.db import swedish_sort_key

from .fees import indexed_fee, indexed_rate, per_inhabitant_fee, population_shares, share_as_percent, share_fees
from .models import Budget, BudgetLine, FeeArchive, FeeArchiveRow, Population

# Samarbetsavtalet § 8: the fee is paid on Huddinge's invoice by 15 March of the year.
DUE_DAY = (3, 15)
INVOICED_BY = "Huddinge kommun"



@dataclass(frozen=True)
class MissingFigure:
    municipality: Municipality
    date: datetime.date

    def __str__(self):
        return f"{self.municipality.name} {self.date:%Y-%m-%d}"


@dataclass
class FeeRow:
    municipality: Municipality
    population: Population | None
    share: Fraction | None = None  # of the members' total population on the reference date
    fee: int | None = None

    @property
    def inhabitants(self) -> int | None:
        return self.population.inhabitants if self.population else None

    @property
    def share_percent(self) -> Decimal | None:
        if self.share is None:
            return None
        return share_as_percent(self.share)


@dataclass
class FeeSchedule:
    """Each member's fee for a budget, and what is missing to compute them."""

    budget: Budget
    reference_date: datetime.date
    rows: list[FeeRow]
    missing: list[MissingFigure]
    member_fee_income: int | None  # the budget's member-fee income line(s); None if it has none
    total_population: int | None = None  # members on the reference date, when all are known
    base_total_population: int | None = None  # indexed rule: members on the base date
    problems: list[str] = field(default_factory=list)  # other reasons a fee cannot be computed
    archive: FeeArchive | None = None  # the frozen fees of a decided plan, when read from them

    @property
    def fee_total(self) -> int | None:
        """The sum of the fees, only when every member's fee is known."""
        if not self.rows or any(row.fee is None for row in self.rows):
            return None
        return sum(row.fee for row in self.rows)

    @property
    def is_complete(self) -> bool:
        return self.fee_total is not None

    @property
    def computable_rows(self) -> list[FeeRow]:
        return [row for row in self.rows if row.fee is not None]

    @property
    def difference(self) -> int | None:
        """Fees minus the budgeted member-fee income (0 under the share rule)."""
        if self.fee_total is None or self.member_fee_income is None:
            return None
        return self.fee_total - self.member_fee_income

    @property
    def due_date(self) -> datetime.date:
        return datetime.date(self.budget.year, *DUE_DAY)

    @property
    def rate_per_inhabitant(self) -> Decimal | None:
        """Kronor per inhabitant that the rule amounts to (exact for per_inhabitant)."""
        budget = self.budget
        if budget.fee_rule == Budget.FeeRule.PER_INHABITANT:
            return budget.fee_per_inhabitant
        if budget.fee_rule == Budget.FeeRule.INDEXED and self.base_total_population:
            return indexed_rate(budget.base_total, self.base_total_population)
        return None

    def row_for(self, municipality: Municipality) -> FeeRow | None:
        return next((row for row in self.rows if row.municipality.pk == municipality.pk), None)


def member_municipalities() -> list[Municipality]:
    """The members in Swedish alphabetical order (1 query)."""
    return sorted(Municipality.objects.members(), key=lambda m: swedish_sort_key(m.name))


def populations_on(dates: list[datetime.date], municipalities: list[Municipality]) -> dict:
    """{(municipality id, date): Population} for the given dates (1 query)."""
    by_id = {m.pk: m for m in municipalities}
    figures = Population.objects.filter(date__in=set(dates), municipality__in=municipalities).order_by()
    result = {}
    for figure in figures:
        figure.municipality = by_id[figure.municipality_id]  # already fetched: no query per row
        result[(figure.municipality_id, figure.date)] = figure
    return result


def fee_archive_for(budget: Budget) -> FeeArchive | None:
    """The frozen fees of the decision the budget's plan stands on, if any (0 queries
    for a plan that is not decided, else 2: the archive and its rows; the plan
    should be selected with the budget)."""
    plan = budget.plan if budget.plan_id else None
    if plan is None or plan.status != plan.Status.DECIDED:
        return None
    rows = Prefetch("rows", queryset=FeeArchiveRow.objects.select_related("municipality").defer("pdf"))
    return (
        budget.fee_archives.filter(decided_on=plan.decided_on).prefetch_related(rows).order_by("-created_at").first()
    )


def fees_for_budget(budget: Budget, lines: list[BudgetLine] | None = None, *, live: bool = False) -> FeeSchedule:
    """Each member's fee for `budget` under its fee rule, and the figures missing.

    A decided plan's budget reads its frozen fees (see `budget_fees_freeze`), so
    later population corrections change nothing that was decided; `live=True`
    computes from today's figures regardless. Reads only (live: 3 queries, the
    member-fee income, the members, their population figures); writes nothing. A
    fee that would need a missing figure is None and the figure is listed in
    `missing`, so no page ever shows an estimate.
    """
    archive = None if live else fee_archive_for(budget)
    if archive is not None:
        return _schedule_from_archive(budget, archive)
    if lines is None:
        member_fee_income = budget.lines.filter(is_member_fees=True).aggregate(total=Sum("amount"))["total"]
    else:  # the budget's lines, already fetched: no query
        fee_lines = [line.amount for line in lines if line.is_member_fees]
        member_fee_income = sum(fee_lines) if fee_lines else None
    municipalities = member_municipalities()
    reference_date = budget.reference_date
    dates = [reference_date]
    if budget.fee_rule == Budget.FeeRule.INDEXED and budget.base_population_date:
        dates.append(budget.base_population_date)
    figures = populations_on(dates, municipalities) if municipalities else {}

    rows = [FeeRow(m, figures.get((m.pk, reference_date))) for m in municipalities]
    missing = [MissingFigure(row.municipality, reference_date) for row in rows if row.population is None]
    schedule = FeeSchedule(budget, reference_date, rows, missing, member_fee_income)
    if not rows:
        schedule.problems.append("Det finns inga medlemskommuner registrerade.")
        return schedule
    if not missing:
        _set_shares(schedule, rows)

    if budget.fee_rule == Budget.FeeRule.SHARE:
        _apply_share_rule(schedule)
    elif budget.fee_rule == Budget.FeeRule.PER_INHABITANT:
        _apply_per_inhabitant_rule(schedule)
    elif budget.fee_rule == Budget.FeeRule.INDEXED:
        _apply_indexed_rule(schedule, figures)
    return schedule


def _set_shares(schedule: FeeSchedule, rows: list[FeeRow]) -> None:
    """Every member's figure is known: the total population and each share."""
    inhabitants = [row.inhabitants for row in rows]
    schedule.total_population = sum(inhabitants)
    for row, share in zip(rows, population_shares(inhabitants)):
        row.share = share


def fee_line_difference_text(schedule: FeeSchedule) -> str:
    """"Raden … stämmer inte med kommunernas avgifter …" when the member-fee line
    differs from the sum of the fees, else ""."""
    if not schedule.difference:
        return ""
    from sodertorn.templatetags.sodertorn import kr

    return (
        f"Raden för medlemsavgifterna ({kr(schedule.member_fee_income)}) stämmer inte med kommunernas avgifter "
        f"enligt avgiftsregeln ({kr(schedule.fee_total)}); skillnad {kr(abs(schedule.difference))}."
    )


def _schedule_from_archive(budget: Budget, archive: FeeArchive) -> FeeSchedule:
    rows = []
    for frozen in archive.rows.all():
        population = None
        if frozen.inhabitants is not None:
            population = Population(municipality=frozen.municipality, date=archive.reference_date,
                                    inhabitants=frozen.inhabitants, source_text=frozen.source_text)
        rows.append(FeeRow(frozen.municipality, population, fee=frozen.fee))
    missing = [MissingFigure(row.municipality, archive.reference_date) for row in rows if row.population is None]
    schedule = FeeSchedule(
        budget, archive.reference_date, rows, missing, archive.member_fee_income,
        base_total_population=archive.base_total_population,
        problems=archive.problems.splitlines(), archive=archive,
    )
    if rows and not missing:
        _set_shares(schedule, rows)
    return schedule


def _apply_share_rule(schedule: FeeSchedule) -> None:
    if schedule.member_fee_income is None:
        schedule.problems.append("Budgeten har ingen intäktspost markerad som medlemsavgifter att fördela.")
        return
    if schedule.missing:
        return  # every share depends on every member's figure
    fees = share_fees(schedule.member_fee_income, [row.inhabitants for row in schedule.rows])
    for row, fee in zip(schedule.rows, fees):
        row.fee = fee


def _apply_per_inhabitant_rule(schedule: FeeSchedule) -> None:
    rate = schedule.budget.fee_per_inhabitant
    if not rate:
        schedule.problems.append("Budgeten anger inte avgiften i kronor per invånare.")
        return
    for row in schedule.rows:
        if row.population is not None:
            row.fee = per_inhabitant_fee(rate, row.inhabitants)


def _apply_indexed_rule(schedule: FeeSchedule, figures: dict) -> None:
    budget = schedule.budget
    if not (budget.base_total and budget.base_population_date):
        schedule.problems.append("Budgeten anger inte grundavgiften och dess folkmängdsdatum (avtalet § 8).")
        return
    base_date = budget.base_population_date
    base_missing = [
        MissingFigure(row.municipality, base_date) for row in schedule.rows
        if (row.municipality.pk, base_date) not in figures
    ]
    if base_missing:
        # The base total population is needed for every fee.
        known = {(m.municipality.pk, m.date) for m in schedule.missing}
        schedule.missing += [m for m in base_missing if (m.municipality.pk, m.date) not in known]
        return
    schedule.base_total_population = sum(figures[(row.municipality.pk, base_date)].inhabitants for row in schedule.rows)
    for row in schedule.rows:
        if row.population is not None:
            row.fee = indexed_fee(budget.base_total, row.inhabitants, schedule.base_total_population)
