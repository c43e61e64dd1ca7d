"""What one plan PDF costs to render: a small benchmark, not a test."""
import io
import statistics
import time

import pypdf
import weasyprint
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from plans.models import WorkPlan
from secretariat.pdfs import work_plan_pdf_bytes
from secretariat.selectors import work_plan_document
from sodertorn.pdf import html_to_pdf, render_html, render_pdf


class Command(BaseCommand):
    help = "Mäter tiden för att skapa verksamhetsplanernas PDF:er (utan och med cache)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, runs, **options):
        html_to_pdf(render_html("plans/pdf/work_plan.html", work_plan_document(WorkPlan.objects.first())))  # warm-up
        self.stdout.write(f"WeasyPrint {weasyprint.__version__}, {runs} körningar per plan\n")
        self.stdout.write(f"{'plan':>6} {'sidor':>6} {'frågor':>7} {'html ms':>8} {'pdf ms':>8} {'cache ms':>9} {'nyckel ms':>10}")
        for plan in WorkPlan.objects.order_by("year"):
            with CaptureQueriesContext(connection) as queries:
                context = work_plan_document(plan)
                html = render_html("plans/pdf/work_plan.html", context)
            html_times, pdf_times = [], []
            for _ in range(runs):
                start = time.perf_counter()
                html = render_html("plans/pdf/work_plan.html", work_plan_document(plan))
                middle = time.perf_counter()
                pdf = html_to_pdf(html)
                html_times.append(middle - start)
                pdf_times.append(time.perf_counter() - middle)
            render_pdf("plans/pdf/work_plan.html", work_plan_document(plan))
            start = time.perf_counter()
            render_pdf("plans/pdf/work_plan.html", work_plan_document(plan))
            cached = time.perf_counter() - start
            # A hit under the document's key and the content version: no HTML rendered.
            # Measured as production runs it: with DEBUG the code's stamp is recomputed
            # on every call (a template edit must show at once), which costs more than
            # the cache reads themselves.
            with override_settings(DEBUG=False):
                work_plan_pdf_bytes(plan=plan)
                keyed_times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    work_plan_pdf_bytes(plan=plan)
                    keyed_times.append(time.perf_counter() - start)
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            self.stdout.write(
                f"{plan.year:>6} {pages:>6} {len(queries.captured_queries):>7} "
                f"{statistics.median(html_times) * 1000:>8.0f} {statistics.median(pdf_times) * 1000:>8.0f} {cached * 1000:>9.0f} {statistics.median(keyed_times) * 1000:>10.1f}"
            )
