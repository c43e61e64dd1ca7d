from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import WorkPlan
from plans.selectors import archived_pdf
from secretariat.pdfs import work_plan_pdf_bytes


class Command(BaseCommand):
    help = "Skriver verksamhetsplanen för ett år som PDF (samma PDF som /planer/<år>/pdf/)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Planens år, t.ex. 2019.")
        parser.add_argument("-o", "--output", type=Path, help="Filnamn (standard: verksamhetsplan-<år>.pdf).")
        parser.add_argument("--arkiv", action="store_true", help="PDF/A-2a för arkivering i stället för PDF/UA-1.")

    def handle(self, *args, year, output, arkiv, **options):
        try:
            plan = WorkPlan.objects.select_related("programme", "decided_by").get(year=year)
        except WorkPlan.DoesNotExist:
            raise CommandError(f"Det finns ingen verksamhetsplan för {year}.")
        output = output or Path(f"verksamhetsplan-{year}{'-arkiv' if arkiv else ''}.pdf")
        # As the web does: a plan decided in this system is its archived file.
        archive = None if arkiv else archived_pdf(plan)
        pdf = bytes(archive.pdf) if archive else work_plan_pdf_bytes(plan=plan, variant="archive" if arkiv else "ua")
        output.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Skrev {output} ({len(pdf) // 1024} kB)."))
