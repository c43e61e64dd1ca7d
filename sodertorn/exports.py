"""Spreadsheet exports (CSV and XLSX) of the project's tables, safe to open.

Text typed in the admin ends up in cells. Excel and LibreOffice treat a cell whose
text begins with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
formula ("CSV injection"): `=HYPERLINK(...)` would become a live link, `=cmd|...`
a DDE call. Every export of the project goes through `SafeTableExport`, so no
table can forget it:

- CSV: such text gets a leading apostrophe (OWASP's advice); the spreadsheet
  shows it as text.
- XLSX: such text is written as a text cell marked "quote prefix", which Excel
  and LibreOffice show exactly as typed and keep as text even when edited.

Numbers stay numbers. Values that are numbers in Python (int, Decimal, float) are
never touched: -1500 is the number -1500 in an XLSX cell, and `-1500` in CSV,
which a spreadsheet reads as that number (a plain number is not a formula). Text
that is exactly a plain number, such as "-1500" or "-12,5", is left alone for
the same reason.

Only CSV and XLSX exist; any other `?_export=` answers 404.
"""
import re
from decimal import Decimal
from io import BytesIO

from django.http import Http404, HttpRequest, HttpResponse
from django_tables2.export import TableExport
from django_tables2.export.views import ExportMixin
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from tablib import Dataset
from tablib.formats._xlsx import safe_xlsx_sheet_title

EXPORT_PARAM = "_export"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
UNKNOWN_FORMAT = "Okänt exportformat: välj csv eller xlsx."


def is_formula_text(value) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def neutralise_csv_cell(value):
    """The value as CSV may carry it: formula-like text behind an apostrophe."""
    return "'" + value if is_formula_text(value) else value


class SafeTableExport(TableExport):
    """django-tables2's export limited to CSV and XLSX, with formulas neutralised."""

    FORMATS = {
        TableExport.CSV: TableExport.FORMATS[TableExport.CSV],
        TableExport.XLSX: TableExport.FORMATS[TableExport.XLSX],
    }

    @classmethod
    def is_valid_format(cls, export_format):
        return export_format in cls.FORMATS

    def export(self):
        if self.format == self.CSV:
            return self._csv()
        return self._xlsx()

    def _csv(self) -> str:
        dataset = Dataset(title=self.dataset.title)
        if self.dataset.headers:
            dataset.headers = [neutralise_csv_cell(h) for h in self.dataset.headers]
        for row in self.dataset:
            dataset.append([neutralise_csv_cell(v) for v in row])
        return dataset.export("csv")

    def _xlsx(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = safe_xlsx_sheet_title(self.dataset.title or "Export")
        header = list(self.dataset.headers or [])
        rows = ([header] if header else []) + [list(row) for row in self.dataset]
        bold = Font(bold=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value = _xlsx_value(value)
                if is_formula_text(cell.value) or cell.data_type == "f":
                    # Text, shown as typed, that stays text when edited.
                    cell.data_type = "s"
                    cell.quotePrefix = True
                if header and r == 1:
                    cell.font = bold
        if header:
            sheet.freeze_panes = "A2"
        for c in range(1, (len(header) or max((len(r) for r in rows), default=0)) + 1):
            width = max((len(str(r[c - 1])) for r in rows if len(r) >= c and r[c - 1] is not None), default=8)
            sheet.column_dimensions[get_column_letter(c)].width = min(max(width, 8), 60) + 2
        stream = BytesIO()
        workbook.save(stream)
        return stream.getvalue()


def _xlsx_value(value):
    if value is None or isinstance(value, (int, float, Decimal)) or hasattr(value, "isoformat"):
        return value
    # Control characters are not allowed in XLSX text; openpyxl would raise.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def requested_export_format(request: HttpRequest) -> str | None:
    """The format asked for with ?_export=, None for the page itself; 404 for a
    format that does not exist here."""
    value = request.GET.get(EXPORT_PARAM)
    if not value:
        return None
    if not SafeTableExport.is_valid_format(value):
        raise Http404(UNKNOWN_FORMAT)
    return value


def table_export_response(request: HttpRequest, table, *, filename: str, title: str | None = None) -> HttpResponse | None:
    """The table as CSV or XLSX when ?_export= asks for it (filename without
    extension), otherwise None; for function views."""
    export_format = requested_export_format(request)
    if export_format is None:
        return None
    exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": title} if title else None)
    return exporter.response(filename=f"{filename}.{export_format}")


class SafeExportMixin(ExportMixin):
    """ExportMixin for class-based views: CSV and XLSX only, formulas neutralised."""

    export_class = SafeTableExport
    export_formats = tuple(SafeTableExport.FORMATS)
    export_trigger_param = EXPORT_PARAM

    def render_to_response(self, context, **kwargs):
        requested_export_format(self.request)
        return super().render_to_response(context, **kwargs)
