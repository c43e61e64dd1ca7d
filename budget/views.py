import io
import zipfile

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.views.generic import TemplateView
from django_tables2.views import SingleTableMixin

from plans.models import Municipality
from sodertorn.exports import SafeExportMixin
from sodertorn.freshness import public_page
from sodertorn.pdf import pdf_response, render_pdf

from .models import Budget
from .selectors import budget_detail as budget_detail_context
from .selectors import FEE_PDF_TEMPLATE, budget_overview, fee_document, fee_pdf_context, visible_budgets
from .services import archived_fee_pdf
from .tables import FeeTable


def _get_visible_budget(request: HttpRequest, year: int) -> Budget:
    """The budget of `year` if this user may read it (selects the plan).

    A budget is as public as its plan: readers without the view_draft permission
    get 404 for the budget of an undecided plan, as for the plan itself."""
    return get_object_or_404(visible_budgets(request.user), year=year)


@public_page
def budget_list(request: HttpRequest) -> HttpResponse:
    budgets = budget_overview(request.user)
    return render(request, "budget/budget_list.html", {"budgets": budgets, "nav": "budget"})


@public_page
def budget_detail(request: HttpRequest, year: int) -> HttpResponse:
    budget = _get_visible_budget(request, year)
    return render(request, "budget/budget_detail.html", {**budget_detail_context(budget, request.user), "nav": "budget"})


@method_decorator(public_page, name="dispatch")
class FeeTableView(SafeExportMixin, SingleTableMixin, TemplateView):
    """Each member's population, share and fee; ?_export=csv or xlsx for a spreadsheet."""

    table_class = FeeTable
    template_name = "budget/fee_table.html"
    table_pagination = False

    def dispatch(self, request, *args, **kwargs):
        self.budget = _get_visible_budget(request, kwargs["year"])
        self.document = fee_document(self.budget)
        return super().dispatch(request, *args, **kwargs)

    def get_table_data(self):
        return self.document["rows"]

    def get_table_kwargs(self):
        return {"schedule": self.document["schedule"]}

    def get_export_filename(self, export_format):
        return f"avgifter-{self.budget.year}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": f"Avgifter {self.budget.year}"}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.document, "nav": "budget"}


def _fee_pdf_context(request: HttpRequest, document: dict, municipality: Municipality) -> dict:
    return fee_pdf_context(document, municipality, base_url=request.build_absolute_uri("/"))


def _fee_pdf_key(request: HttpRequest, budget: Budget, municipality: Municipality) -> str:
    """The document's identity for the PDF cache: it links to this site (its date is
    the budget's decision, part of the content)."""
    return f"fee:{budget.pk}:{municipality.pk}:{request.build_absolute_uri('/')}"


def _fee_pdf_filename(budget: Budget, municipality: Municipality) -> str:
    return f"avgift-{budget.year}-{municipality.slug}.pdf"


@public_page
def fee_pdf(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """The fee decision document (underlag för kommunstyrelsens beslut) of one member.
    A plan decided in this system serves the document archived at the decision,
    byte for byte; plans decided before it render theirs from the frozen fees."""
    budget = _get_visible_budget(request, year)
    municipality = get_object_or_404(Municipality.objects.members(), slug=slug)
    document = fee_document(budget)
    row = document["schedule"].row_for(municipality)
    if row is None or row.fee is None:
        raise Http404(f"Avgiften för {municipality.name} {year} kan inte beräknas: folkmängd saknas.")
    archived = archived_fee_pdf(document["schedule"], municipality)
    if archived is not None:
        response = HttpResponse(bytes(archived.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{_fee_pdf_filename(budget, municipality)}"'
        response["X-Archive-SHA256"] = archived.sha256
        return response
    return pdf_response(
        FEE_PDF_TEMPLATE,
        _fee_pdf_context(request, document, municipality),
        filename=_fee_pdf_filename(budget, municipality),
        key=_fee_pdf_key(request, budget, municipality),
    )


@public_page
def fee_zip(request: HttpRequest, year: int) -> HttpResponse:
    """All members' fee decision documents in one zip, for the secretariat's one click.

    Only fees that can be computed are included; when some cannot, the zip holds
    a text file naming the municipalities and the population figures missing."""
    budget = _get_visible_budget(request, year)
    document = fee_document(budget)
    schedule = document["schedule"]
    rows = schedule.computable_rows
    if not rows:
        raise Http404(f"Ingen avgift för {year} kan beräknas: folkmängd saknas.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            archived = archived_fee_pdf(schedule, row.municipality)
            pdf = bytes(archived.pdf) if archived else render_pdf(
                FEE_PDF_TEMPLATE, _fee_pdf_context(request, document, row.municipality),
                key=_fee_pdf_key(request, budget, row.municipality),
            )
            archive.writestr(_fee_pdf_filename(budget, row.municipality), pdf)
        left_out = [r.municipality for r in schedule.rows if r.fee is None]
        if left_out:
            archive.writestr("saknade-avgifter.txt", _missing_text(schedule, left_out))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="avgiftsunderlag-{year}.zip"'
    return response


def _missing_text(schedule, left_out) -> str:
    lines = [
        f"Avgifter {schedule.budget.year}: beslutsunderlag saknas för "
        + ", ".join(m.name for m in left_out) + ", eftersom avgiften inte kan beräknas.",
        "",
        "Folkmängd som saknas:",
    ]
    lines += [f"- {m.municipality.name} {date_format(m.date, 'j F Y')}" for m in schedule.missing]
    lines += [f"- {problem}" for problem in schedule.problems]
    return "\n".join(lines) + "\n"
