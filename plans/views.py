import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django_filters.views import FilterView
from django_tables2.views import SingleTableMixin

from sodertorn.exports import SafeExportMixin, table_export_response
from sodertorn.freshness import public_page

from .filters import ActivityFilter
from .models import Document, MunicipalDecision, Network, Programme, WorkPlan
from .selectors import (
    activities_for_plan,
    work_plan_printed_names_apply,
    goal_tree,
    municipal_decisions,
    network_detail,
    networks_overview,
    visible_plans,
)
from .tables import ActivityTable, MunicipalDecisionTable


def _get_visible_plan(request: HttpRequest, year: int) -> WorkPlan:
    """The plan of `year` if this user may read it (selects programme and decider).

    A plan the user may not read (WorkPlan.objects.visible_to) does not exist for
    them (404), so a draft's existence is not disclosed either."""
    return get_object_or_404(visible_plans(request.user), year=year)


def _year_param(request: HttpRequest, name: str) -> int | None:
    """A year from the query string (?jamfor=2017): None when absent or empty, 404
    for anything but four ASCII digits (int() would also take "²" or "١٠")."""
    value = request.GET.get(name, "")
    if not value:
        return None
    if len(value) != 4 or not value.isascii() or not value.isdigit():
        raise Http404("Ange ett årtal med fyra siffror.")
    return int(value)


@public_page
def work_plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/work_plan_list.html", {"plans": visible_plans(request.user).order_by("-year"), "nav": "plans"})


@method_decorator(public_page, name="dispatch")
class ActionPlanView(SafeExportMixin, SingleTableMixin, FilterView):
    """Bilaga 1 Handlingsplan as a sortable, filterable and exportable table."""

    table_class = ActivityTable
    filterset_class = ActivityFilter
    template_name = "plans/action_plan.html"
    table_pagination = False

    def dispatch(self, request, *args, **kwargs):
        self.plan = _get_visible_plan(request, kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return activities_for_plan(self.plan)

    def get_table(self, **kwargs):
        """The table, sorted; for a decided plan with the names it printed (the rows
        are fetched here once, and the table and the exports read them)."""
        table = super().get_table(**kwargs)
        rows = table.data.data
        if hasattr(rows, "_fetch_all"):
            rows._fetch_all()
        work_plan_printed_names_apply(self.plan, rows)
        return table

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["plan"] = self.plan
        return kwargs

    def get_export_filename(self, export_format):
        return f"handlingsplan-{self.plan.year}.{export_format}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan, "nav": "plans"}


@public_page
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/programme_list.html", {
        "programmes": Programme.objects.order_by("-valid_from"), "nav": "programmes",
    })


@public_page
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.prefetch_related("levels"), slug=slug)
    return render(request, "plans/programme_detail.html", {
        "programme": programme,
        "tree": goal_tree(programme, request.user),
        "visible_years": set(visible_plans(request.user).values_list("year", flat=True)),
        "nav": "programmes",
    })


@public_page
def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/network_list.html", {"networks": networks_overview(), "nav": "networks"})


@public_page
def network_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network.objects.select_related("reports_to"), slug=slug)
    context = network_detail(network, request.user)
    context["visible_years"] = set(visible_plans(request.user).values_list("year", flat=True))
    return render(request, "plans/network_detail.html", {**context, "nav": "networks"})


@public_page
def document_list(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.select_related("municipality").order_by("-date", "title")
    return render(request, "plans/document_list.html", {"documents": documents, "nav": "documents"})


@public_page
def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("municipality", "responds_to", "source"), slug=slug
    )
    return render(request, "plans/document_detail.html", {
        "document": document,
        "responses": document.responses.order_by("date"),
        "nav": "documents",
    })


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/accessibility.html", {"reviewed": datetime.date(2026, 11, 23)})


@public_page
def decisions(request: HttpRequest, year: int) -> HttpResponse:
    """The eight kommunstyrelser's decisions on the plan: for signed-in readers,
    and for everyone once all eight have decided."""
    plan = _get_visible_plan(request, year)
    context = municipal_decisions(plan)
    if not (request.user.has_perm("plans.view_municipaldecision") or context["all_decided"]):
        raise Http404("Kommunernas beslut visas när alla åtta har beslutat.")
    table = MunicipalDecisionTable(context["decisions"])
    export = table_export_response(request, table, filename=f"beslut-{year}", title=f"Beslut {year}")
    if export:
        return export
    return render(request, "plans/decisions.html", {**context, "plan": plan, "table": table, "nav": "plans"})


def decision_protocol(request: HttpRequest, year: int, municipality: str) -> HttpResponse:
    """An uploaded protocol extract, only for users allowed to see the decisions."""
    if not request.user.has_perm("plans.view_municipaldecision"):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    decision = get_object_or_404(
        MunicipalDecision.objects.select_related("plan", "municipality"),
        plan__year=year, municipality__slug=municipality,
    )
    if not decision.protocol:
        raise Http404("Inget protokollsutdrag är uppladdat.")
    try:
        protocol = decision.protocol.open("rb")
    except FileNotFoundError:
        # E.g. a history revert to a replaced file, which is removed on replacing.
        raise Http404("Protokollsutdraget finns inte längre.")
    return FileResponse(
        protocol, content_type="application/pdf",
        filename=f"protokoll-{year}-{municipality}.pdf", as_attachment=False,
    )
