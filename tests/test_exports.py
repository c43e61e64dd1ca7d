"""Every spreadsheet export goes through sodertorn.exports: formula-like text is
neutralised, numbers stay numbers, and only CSV and XLSX exist."""
import csv
import io
from decimal import Decimal

import django_tables2 as tables
import openpyxl
import pytest

from sodertorn.exports import SafeTableExport

HOSTILE = ["=HYPERLINK(\"https://evil.example\",\"Klicka\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


class CellTable(tables.Table):
    text = tables.Column("Text")
    amount = tables.Column("Belopp")


def rows_of(data) -> CellTable:
    return CellTable([{"text": t, "amount": a} for t, a in data])


def test_formula_text_is_prefixed_in_csv_and_plain_values_are_not():
    table = rows_of([(t, 1) for t in HOSTILE] + [("Vanlig text", -1500), ("-1500", Decimal("-12.5"))])
    content = SafeTableExport("csv", table).export()
    data = list(csv.reader(io.StringIO(content)))
    assert data[0] == ["Text", "Belopp"]
    assert [row[0] for row in data[1:7]] == ["'" + t for t in HOSTILE]
    # Numbers are written as numbers, also negative ones; a plain negative number
    # typed as text is no formula either.
    assert data[7] == ["Vanlig text", "-1500"]
    assert data[8] == ["-1500", "-12.5"]


def test_formula_text_is_a_quoted_text_cell_in_xlsx_and_numbers_stay_numbers():
    table = rows_of([(t, -1500) for t in HOSTILE])
    sheet = openpyxl.load_workbook(io.BytesIO(SafeTableExport("xlsx", table).export())).active
    for row, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.quotePrefix
        # XML keeps no bare carriage return: it reads back as a line feed.
        assert cell.value == text.replace("\r", "\n")
        amount = sheet.cell(row=row, column=2)
        assert amount.value == -1500 and amount.data_type == "n"


@pytest.mark.parametrize("export_format", ["ods", "xls", "json", "yaml", "latex", "tsv", "html", "CSV"])
def test_only_csv_and_xlsx_exist(export_format):
    assert not SafeTableExport.is_valid_format(export_format)
    with pytest.raises(TypeError):
        SafeTableExport(export_format, rows_of([("a", 1)]))
