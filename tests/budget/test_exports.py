"""?_export=csv and ?_export=xlsx of the fee table: the page's figures as plain values."""
import csv
import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db

HEADER = ["Kommun", "Kommunkod", "Folkmängd per", "Folkmängd 31 december 2016", "Källa", "Andel, %", "Avgift, kr"]


def test_the_csv_export_is_valid_csv_with_a_row_per_member(anonym):
    response = anonym.get("/budget/2017/avgifter/?_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="avgifter-2017.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == HEADER
    assert len(rows) == 9
    huddinge = next(row for row in rows if row[0] == "Huddinge")
    assert huddinge[1:4] == ["0126", "2016-12-31", "107538"]
    assert huddinge[4].startswith("SCB")
    assert huddinge[5:] == ["22.38", "211525"]
    assert sum(int(row[6]) for row in rows[1:]) == 945_000


def test_the_xlsx_export_opens_with_numbers_in_number_cells(anonym):
    response = anonym.get("/budget/2017/avgifter/?_export=xlsx")
    assert response.status_code == 200
    assert 'filename="avgifter-2017.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.title == "Avgifter 2017"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    fees = {row[0]: row[6] for row in rows[1:]}
    assert fees["Nykvarn"] == 20_504
    assert sum(fees.values()) == 945_000
    assert {row[3] for row in rows[1:]} >= {107_538, 10_424}


def test_missing_figures_export_as_empty_cells_never_as_estimates(anonym):
    response = anonym.get("/budget/2012/avgifter/?_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][3] == "Folkmängd 31 december 2011"
    assert len(rows) == 9
    assert all(row[3] == "" and row[5] == "" and row[6] == "" for row in rows[1:])


def test_a_formula_in_a_population_source_is_exported_as_text(anonym):
    from budget.models import Budget, Population
    from budget.services import budget_fees_freeze

    Population.objects.filter(date="2016-12-31", municipality__slug="huddinge").update(source_text="=1+1")
    # The 2017 plan is decided: its fee table reads the fees frozen at the decision,
    # which keep the source text they had then. Freeze again, as at a decision, so the
    # formula is in what the export reads.
    budget = Budget.objects.select_related("plan").get(year=2017)
    budget_fees_freeze(budget=budget, decided_on=budget.plan.decided_on, with_documents=False)
    rows = list(csv.reader(io.StringIO(anonym.get("/budget/2017/avgifter/?_export=csv").content.decode("utf-8"))))
    assert next(r for r in rows if r[0] == "Huddinge")[4] == "'=1+1"
    sheet = openpyxl.load_workbook(io.BytesIO(anonym.get("/budget/2017/avgifter/?_export=xlsx").content)).active
    cell = next(c for c in sheet["E"] if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
    assert isinstance(next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Huddinge")[6], int)


@pytest.mark.parametrize("export_format", ["ods", "xls", "json", "yaml", "latex", "tsv", "html"])
def test_only_csv_and_xlsx_exist(anonym, export_format):
    assert anonym.get(f"/budget/2017/avgifter/?_export={export_format}").status_code == 404
