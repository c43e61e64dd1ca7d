"""Bulk follow-up: the action plan's own export (CSV or XLSX, `?_export=`), with
the columns Uppföljning, Resultat and Utfall (kr) filled in, read back.

All or nothing: every line is checked first; one bad line refuses the whole file
with one Swedish message per bad line ("Rad 5: …"), and nothing is saved."""
import csv
import io
import re
from pathlib import Path

from django.db import transaction

from .models import Activity, WorkPlan

NUMBER, STATUS, OUTCOME, ACTUAL = "Nr", "Uppföljning", "Resultat", "Utfall (kr)"
FOLLOW_UP_COLUMNS = (STATUS, OUTCOME, ACTUAL)
MAX_ERRORS = 50


class FollowUpImportError(Exception):
    """The file was refused; `errors` names each bad line. Nothing was saved."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def _read_rows(path: Path, content: bytes | None = None) -> list[list[str]]:
    data = content if content is not None else Path(path).read_bytes()
    if str(path).lower().endswith(".xlsx"):
        import openpyxl

        try:
            sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise FollowUpImportError([f"Filen kunde inte läsas som Excel-fil (xlsx): {exc}."]) from exc
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if not str(path).lower().endswith(".csv"):
        raise FollowUpImportError(["Filen ska vara handlingsplanens export som .csv eller .xlsx."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FollowUpImportError(["Filen är inte sparad som UTF-8. Spara den som ”CSV UTF-8” och försök igen."]) from exc
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
    except csv.Error:
        pass
    return list(csv.reader(io.StringIO(text), dialect))


def _amount(text: str) -> int | None:
    cleaned = re.sub(r"[\s\u00a0]|kr$", "", text.strip().lower().replace("kr", ""))
    if cleaned == "":
        return None
    if not cleaned.isdigit():
        raise ValueError
    return int(cleaned)


def follow_up_import(*, plan: WorkPlan, path: Path | str, content: bytes | None = None) -> int:
    """Import the follow-up of `plan`'s activities from the file; returns how many
    activities it covers. Raises FollowUpImportError listing every bad line."""
    rows = [row for row in _read_rows(path, content)]
    if not rows:
        raise FollowUpImportError(["Filen är tom."])
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in (NUMBER, *FOLLOW_UP_COLUMNS) if name not in header]
    if NUMBER in missing or len(missing) == 4:
        raise FollowUpImportError([
            f"Rad 1: kolumnerna {', '.join('”' + m + '”' for m in missing)} saknas. Utgå från handlingsplanens "
            "export (CSV eller Excel) och fyll i Uppföljning, Resultat och Utfall (kr)."
        ])
    columns = {name: header.index(name) for name in (NUMBER, *FOLLOW_UP_COLUMNS) if name in header}
    activities = {a.pk: a for a in Activity.objects.filter(plan=plan)}
    statuses = {label.lower(): value for value, label in Activity.FollowUp.choices}
    errors, updates, seen = [], [], set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        number = cell[NUMBER]
        activity = activities.get(int(number)) if number.isdigit() else None
        if activity is None:
            errors.append(f"Rad {line}: aktivitet nr {number or '(tomt)'} finns inte i handlingsplanen {plan.year}.")
            continue
        if activity.pk in seen:
            errors.append(f"Rad {line}: aktivitet nr {number} finns redan på en tidigare rad.")
            continue
        seen.add(activity.pk)
        values = {}
        if STATUS in cell:
            status = cell[STATUS]
            if status and status.lower() not in statuses:
                errors.append(f"Rad {line}: okänd uppföljning ”{status}”; använd "
                              f"{', '.join(label for _, label in Activity.FollowUp.choices)} eller lämna tomt.")
            else:
                values["follow_up_status"] = statuses.get(status.lower(), "")
        if OUTCOME in cell:
            values["outcome"] = cell[OUTCOME]
        if ACTUAL in cell:
            try:
                values["actual_cost"] = _amount(cell[ACTUAL])
            except ValueError:
                errors.append(f"Rad {line}: utfallet ”{cell[ACTUAL]}” är inte ett belopp i hela kronor.")
        updates.append((activity, values))
        if len(errors) >= MAX_ERRORS:
            errors.append(f"Fler än {MAX_ERRORS} fel; läsningen avbröts.")
            break
    if errors:
        raise FollowUpImportError(errors)
    with transaction.atomic():
        for activity, values in updates:
            for name, value in values.items():
                setattr(activity, name, value)
            activity.save(update_fields=list(values))  # one by one, so each change is in the history
    return len(updates)
