"""Member fees and population figures: the arithmetic and the import.

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

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch, Sum

from plans.models import Municipality
from sodertorn.db import swedish_sort_key
from sodertorn.swedish import swedish_date, swedish_decimal, swedish_integer

from .fees import (
    indexed_fee,
    indexed_rate,
    per_inhabitant_fee,
    population_shares,
    share_as_percent,
    share_fees,
    split_by_largest_remainder,
)
from .models import Budget, BudgetLine, FeeArchive, FeeArchiveRow, Population

# Samarbetsavtalet § 8: the fee is paid on Huddinge's invoice by 15 March of the year.
DUE_DAY = (3, 15)
INVOICED_BY = "Huddinge kommun"


# -- fees ---------------------------------------------------------------------


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


def budget_member_fees_sync(*, budget: Budget) -> BudgetLine | None:
    """Set the member-fee income line to the sum of the fees its rule gives.

    Only under the rules where the fees follow from population (per inhabitant,
    indexed); under the share rule the line is what is split. Returns the line
    when it changed; None when nothing changed or nothing can be computed (the
    budget page and the checklist then show the difference)."""
    if budget.fee_rule == Budget.FeeRule.SHARE:
        return None
    lines = list(budget.lines.filter(is_member_fees=True))
    schedule = fees_for_budget(budget)
    if len(lines) != 1 or not schedule.is_complete:
        return None
    line = lines[0]
    note = line.note
    if budget.fee_rule == Budget.FeeRule.PER_INHABITANT:
        note = (f"{swedish_decimal(budget.fee_per_inhabitant)} kr × {swedish_integer(schedule.total_population)} "
                f"invånare den {swedish_date(schedule.reference_date)}")
    if line.amount == schedule.fee_total and line.note == note and not line.approximate:
        return None
    line.amount, line.note, line.approximate = schedule.fee_total, note, False
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_copy_to_plan(*, source: Budget, plan) -> Budget:
    """Next year's budget for `plan` (a new draft) made from `source`: the fee rule and
    the lines (notes and sources left for the new year), on the newest complete
    population figures, with the member-fee line recomputed by the rule
    (`budget_member_fees_sync`). Called by secretariat.services.work_plan_copy_to_year."""
    from .selectors import newest_population_date

    reference = newest_population_date()
    budget = Budget.objects.create(
        year=plan.year, plan=plan, fee_rule=source.fee_rule, fee_per_inhabitant=source.fee_per_inhabitant,
        population_date=reference, base_total=source.base_total, base_population_date=source.base_population_date,
        fee_decision=source.fee_decision, fee_decision_date=source.fee_decision_date,
        note="", source=None,
    )
    for line in source.lines.order_by("kind", "position"):
        BudgetLine.objects.create(
            budget=budget, kind=line.kind, position=line.position, label=line.label, amount=line.amount,
            approximate=line.approximate, is_member_fees=line.is_member_fees, note="",
        )
    if reference:
        budget_member_fees_sync(budget=budget)
    return budget


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


@transaction.atomic
def budget_fees_freeze(*, budget: Budget, decided_on: datetime.date | None, base_url: str = "",
                       with_documents: bool = True) -> FeeArchive:
    """Freezes the budget's fees as they are computed now: each member's population
    figure, share and fee, and (with_documents) each member's fee decision PDF with
    its SHA-256, served byte for byte from then on. Called at the decision
    (plans.services.work_plan_decide); the seed loader and `freeze_fees` call it
    without documents for the plans decided before the system."""
    import hashlib

    import weasyprint

    from sodertorn.pdf import render_pdf

    from .selectors import FEE_PDF_TEMPLATE, fee_document, fee_pdf_context

    document = fee_document(budget, live=True)
    schedule: FeeSchedule = document["schedule"]
    archive = FeeArchive.objects.create(
        budget=budget, decided_on=decided_on, reference_date=schedule.reference_date,
        member_fee_income=schedule.member_fee_income, base_total_population=schedule.base_total_population,
        problems="\n".join(schedule.problems), weasyprint_version=weasyprint.__version__ if with_documents else "",
    )
    for position, row in enumerate(schedule.rows):
        pdf = None
        if with_documents and row.fee is not None:
            context = fee_pdf_context(document, row.municipality, base_url=base_url)
            pdf = render_pdf(FEE_PDF_TEMPLATE, context)
        FeeArchiveRow.objects.create(
            archive=archive, municipality=row.municipality, position=position, inhabitants=row.inhabitants,
            source_text=row.population.source_text if row.population else "", fee=row.fee, pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest() if pdf else "",
        )
    return archive


def budgets_freeze_decided_fees() -> list[Budget]:
    """Freezes, without documents, the fees of every decided plan's budget that has
    no frozen fees for its decision: the plans decided before the system. Only
    fees that can all be computed are frozen; the others (a population figure not
    yet registered, e.g. 2018-12-31 for 2019) are computed live, and frozen by a
    later run once the figures are in."""
    frozen = []
    for budget in Budget.objects.filter(plan__status="decided").select_related("plan").order_by("year"):
        if fee_archive_for(budget) is None and fees_for_budget(budget, live=True).is_complete:
            budget_fees_freeze(budget=budget, decided_on=budget.plan.decided_on, with_documents=False)
            frozen.append(budget)
    return frozen


def archived_fee_pdf(schedule: FeeSchedule, municipality: Municipality) -> FeeArchiveRow | None:
    """The fee PDF archived at the decision for `municipality`, if there is one."""
    if schedule.archive is None:
        return None
    return (FeeArchiveRow.objects.filter(archive=schedule.archive, municipality=municipality)
            .exclude(pdf=None).only("pdf", "sha256").first())


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


# -- special projects (§ 7) -----------------------------------------------------


@dataclass
class ProjectSplit:
    reference_date: datetime.date
    rows: list[FeeRow]
    missing: list[MissingFigure]
    total: int

    @property
    def is_complete(self) -> bool:
        return not self.missing and bool(self.rows)


def split_by_population(total: int, reference_date: datetime.date) -> ProjectSplit:
    """A cost split between the members by population (§ 7, § 10), adding up exactly.

    2 queries. Nothing is split when any member's figure is missing."""
    municipalities = member_municipalities()
    figures = populations_on([reference_date], municipalities) if municipalities else {}
    rows = [FeeRow(m, figures.get((m.pk, reference_date))) for m in municipalities]
    missing = [MissingFigure(row.municipality, reference_date) for row in rows if row.population is None]
    if rows and not missing:
        inhabitants = [row.inhabitants for row in rows]
        for row, share, part in zip(rows, population_shares(inhabitants), split_by_largest_remainder(total, inhabitants)):
            row.share, row.fee = share, part
    return ProjectSplit(reference_date, rows, missing, total)


# -- population import -----------------------------------------------------------

HEADER = ["kommunkod", "kommun", "datum", "folkmangd", "kalla"]
# The header as SCB and people write it: with or without å/ä/ö, any case.
_HEADER_FOLD = str.maketrans("åäö", "aao")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^\d+$")
_CODE = re.compile(r"^\d{4}$")
MAX_ERRORS = 50


class PopulationImportError(Exception):
    """The file was refused; `errors` names each bad line. Nothing was saved."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class PopulationImportResult:
    created: int = 0
    replaced: int = 0
    unchanged: int = 0


@dataclass
class _Row:
    line: int
    municipality: Municipality
    date: datetime.date
    inhabitants: int
    source_text: str


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PopulationImportError([f"Filen {path} finns inte."]) from None
    except OSError as exc:
        raise PopulationImportError([f"Filen {path} kan inte läsas: {exc.strerror}."]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PopulationImportError(
            [f"Rad {line}: filen är inte UTF-8-kodad. Spara den som CSV (UTF-8) och försök igen."]
        ) from None


def _parse(text: str, replace: bool) -> tuple[list[_Row], list[str]]:
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [f"Rad 1: raden kan inte läsas som CSV ({exc})."]
    if header is None:
        return [], ["Filen är tom: den ska börja med rubrikraden " + ",".join(HEADER) + "."]
    folded = [h.strip().lower().translate(_HEADER_FOLD) for h in header]
    if folded != HEADER:
        return [], [
            f"Rad 1: fel rubrikrad ”{','.join(header)}”. Den ska vara ”{','.join(HEADER)}” "
            "(kommunkod, kommun, datum, folkmängd, källa, kommaseparerat)."
        ]

    by_code = {m.code: m for m in Municipality.objects.exclude(code__isnull=True)}
    rows: list[_Row] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line, e.g. at the end of the file
            row = _parse_row(line, cells, by_code, errors)
            if row is None:
                continue
            key = (row.municipality.code, row.date)
            if key in seen:
                errors.append(
                    f"Rad {line}: {row.municipality.name} {row.date:%Y-%m-%d} finns redan på rad {seen[key]} i filen."
                )
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        errors.append(f"Rad {reader.line_num}: raden kan inte läsas som CSV ({exc}).")
    if not rows and not errors:
        errors.append("Filen innehåller inga folkmängdsuppgifter, bara rubrikraden.")
    if rows and not replace:
        errors += _conflicts_with_existing(rows)
    return rows, errors


def _parse_row(line: int, cells: list[str], by_code: dict, errors: list[str]) -> _Row | None:
    if len(cells) != len(HEADER):
        errors.append(f"Rad {line}: raden har {len(cells)} fält, ska ha {len(HEADER)} ({','.join(HEADER)}).")
        return None
    code, name, date_text, number, source = (c.strip() for c in cells)
    before = len(errors)
    municipality = None
    if not _CODE.match(code):
        errors.append(f"Rad {line}: kommunkoden ”{code}” ska vara fyra siffror, t.ex. 0126.")
    elif code not in by_code:
        errors.append(f"Rad {line}: okänd kommunkod {code} (”{name}”).")
    else:
        municipality = by_code[code]
        if _name_key(name) != _name_key(municipality.name):
            errors.append(f"Rad {line}: kommunkod {code} är {municipality.name}, inte ”{name}”.")
    date = None
    try:
        if not _DATE.match(date_text):
            raise ValueError
        date = datetime.date.fromisoformat(date_text)
    except ValueError:
        errors.append(f"Rad {line}: datumet ”{date_text}” är inte ett datum på formen ÅÅÅÅ-MM-DD.")
    inhabitants = None
    if not _INTEGER.match(number):
        errors.append(f"Rad {line}: folkmängden ”{number}” är inte ett heltal (bara siffror, utan mellanslag).")
    elif int(number) < 1:
        errors.append(f"Rad {line}: folkmängden måste vara minst 1, inte {number}.")
    else:
        inhabitants = int(number)
    if not source:
        errors.append(f"Rad {line}: källa saknas; ange var siffran är publicerad, t.ex. SCB.")
    elif len(source) > Population._meta.get_field("source_text").max_length:
        errors.append(f"Rad {line}: källan är längre än 300 tecken.")
    if len(errors) > before:
        return None
    return _Row(line, municipality, date, inhabitants, source)


def _name_key(name: str) -> str:
    name = name.strip().casefold()
    return name.removesuffix(" kommun")


def _conflicts_with_existing(rows: list[_Row]) -> list[str]:
    existing = _existing_figures(rows)
    errors = []
    for row in rows:
        current = existing.get((row.municipality.pk, row.date))
        if current and (current.inhabitants, current.source_text) != (row.inhabitants, row.source_text):
            errors.append(
                f"Rad {row.line}: {row.municipality.name} har redan folkmängden {current.inhabitants} "
                f"per {row.date:%Y-%m-%d} (källa: {current.source_text}). Använd --replace för att ersätta den."
            )
    return errors


def _existing_figures(rows: list[_Row]) -> dict:
    dates = {row.date for row in rows}
    return {
        (p.municipality_id, p.date): p
        for p in Population.objects.filter(date__in=dates, municipality__in={row.municipality for row in rows})
    }


@transaction.atomic
def population_import_csv(*, path: Path | str, replace: bool = False, dry_run: bool = False) -> PopulationImportResult:
    """Import SCB-style population figures from a CSV file, all or nothing.

    The file must start with the header `kommunkod,kommun,datum,folkmangd,kalla`.
    Every line is checked before anything is saved; any error refuses the whole
    file (PopulationImportError lists each bad line). A figure that already exists
    for the same municipality and date is left alone when the file says the same,
    and otherwise refused unless `replace` is true, so that re-importing a file is
    harmless but a published figure is never overwritten by mistake.
    """
    rows, errors = _parse(_read_text(Path(path)), replace)
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = errors[:MAX_ERRORS] + [f"… och {len(errors) - MAX_ERRORS} fel till."]
        raise PopulationImportError(errors)
    result = PopulationImportResult()
    existing = _existing_figures(rows)
    for row in rows:
        current = existing.get((row.municipality.pk, row.date))
        if current and (current.inhabitants, current.source_text) == (row.inhabitants, row.source_text):
            result.unchanged += 1
            continue
        figure = current or Population(municipality=row.municipality, date=row.date)
        figure.inhabitants = row.inhabitants
        figure.source_text = row.source_text
        figure.full_clean(validate_unique=False, validate_constraints=False)
        if not dry_run:
            figure.save()
        if current:
            result.replaced += 1
        else:
            result.created += 1
    return result
