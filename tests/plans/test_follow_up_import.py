"""Bulk follow-up (issue 11, item 9): the action plan's own export, filled in,
read back; all or nothing, with line-numbered Swedish errors."""
import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from plans.follow_up_import import FollowUpImportError, follow_up_import
from plans.models import Activity, WorkPlan

pytestmark = pytest.mark.django_db


def exported_rows(client, year, export="csv") -> list[list[str]]:
    response = client.get(reverse("plans:action_plan", args=[year]), {"_export": export})
    assert response.status_code == 200
    if export == "csv":
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")
                                           if response.streaming else response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def filled_in(rows: list[list[str]]) -> list[list[str]]:
    header = rows[0]
    status, outcome, actual = header.index("Uppföljning"), header.index("Resultat"), header.index("Utfall (kr)")
    for number, row in enumerate(rows[1:], start=1):
        row[status] = "Genomförd" if number % 2 else "Pågår"
        row[outcome] = f"Resultat för rad {number}"
        row[actual] = str(1000 * number)
    return rows


def as_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def test_the_export_filled_in_is_read_back(anonym, tmp_path):
    rows = filled_in(exported_rows(anonym, 2019))
    path = tmp_path / "uppfoljning.csv"
    path.write_bytes(as_csv(rows))
    changed = follow_up_import(plan=WorkPlan.objects.get(year=2019), path=path)
    plan = WorkPlan.objects.get(year=2019)
    assert changed == plan.activities.count() == len(rows) - 1
    first = Activity.objects.get(pk=int(rows[1][rows[0].index("Nr")]))
    assert (first.follow_up_status, first.outcome, first.actual_cost) == ("done", "Resultat för rad 1", 1000)
    report = anonym.get(reverse("plans:annual_report", args=[2019])).content.decode()
    assert "Resultat för rad 1" in report


def test_the_xlsx_export_is_read_back_too(anonym, tmp_path):
    rows = filled_in(exported_rows(anonym, 2019, "xlsx"))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "uppfoljning.xlsx"
    book.save(path)
    assert follow_up_import(plan=WorkPlan.objects.get(year=2019), path=path) == len(rows) - 1


def test_errors_are_line_numbered_and_nothing_is_saved(anonym, tmp_path):
    rows = filled_in(exported_rows(anonym, 2019))
    header = rows[0]
    rows[2][header.index("Uppföljning")] = "Klar"
    rows[4][header.index("Utfall (kr)")] = "tusen"
    rows[5][header.index("Nr")] = "999999"
    path = tmp_path / "fel.csv"
    path.write_bytes(as_csv(rows))
    with pytest.raises(FollowUpImportError) as exc:
        follow_up_import(plan=WorkPlan.objects.get(year=2019), path=path)
    text = "\n".join(exc.value.errors)
    assert "Rad 3: okänd uppföljning ”Klar”" in text
    assert "Rad 5: utfallet ”tusen” är inte ett belopp i hela kronor" in text
    assert "Rad 6: aktivitet nr 999999 finns inte i handlingsplanen 2019" in text
    assert not Activity.objects.filter(plan__year=2019).exclude(outcome="").exists()


def test_the_command_imports_and_refuses_in_swedish(anonym, tmp_path):
    rows = filled_in(exported_rows(anonym, 2019))
    path = tmp_path / "uppfoljning.csv"
    path.write_bytes(as_csv(rows))
    out = io.StringIO()
    call_command("import_follow_up", "2019", str(path), stdout=out)
    assert f"{len(rows) - 1} aktiviteter" in out.getvalue()
    with pytest.raises(CommandError, match="Det finns ingen verksamhetsplan för 2031"):
        call_command("import_follow_up", "2031", str(path))


def test_the_admin_upload_imports_the_file(sekretariat, anonym):
    rows = filled_in(exported_rows(anonym, 2019))
    plan = WorkPlan.objects.get(year=2019)
    url = reverse("admin:plans_workplan_follow_up", args=[plan.pk])
    assert "Importera uppföljning" in sekretariat.get(url).content.decode()
    upload = io.BytesIO(as_csv(rows))
    upload.name = "uppfoljning.csv"
    response = sekretariat.post(url, {"file": upload}, follow=True)
    assert f"{len(rows) - 1} aktiviteter" in response.content.decode()
    bad = io.BytesIO(b"Nr,Uppf\xc3\xb6ljning\n1,Klar\n")
    bad.name = "fel.csv"
    refused = sekretariat.post(url, {"file": bad})
    assert "Rad 2" in refused.content.decode()
