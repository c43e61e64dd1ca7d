"""Writes of the budget app: the member-fee line synced with the fee rule, next
year's budget, the frozen fees of a decision, and the population import. The fee
schedule they act on (a read) is `budget.schedules`; the documents `budget.selectors`.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from plans.models import Municipality
from sodertorn.swedish import swedish_date, swedish_decimal, swedish_integer

from .fees import population_shares, split_by_largest_remainder
from .models import Budget, BudgetLine, FeeArchive, FeeArchiveRow, Population
from .schedules import (
    FeeRow,
    FeeSchedule,
    MissingFigure,
    fee_archive_for,
    fees_for_budget,
    member_municipalities,
    populations_on,
)
from .selectors import newest_population_date

# -- fees ---------------------------------------------------------------------


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
