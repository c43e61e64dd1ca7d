"""Render ahead the PDFs of the plans put forward for decision (run after deploys and
from cron: an edit elsewhere keeps them, an edit to the plan renders them anew)."""
from django.core.management.base import BaseCommand, CommandError

from plans.models import WorkPlan
from secretariat.pdfs import work_plan_pdfs_prerender


class Command(BaseCommand):
    help = "Skapar i förväg PDF:erna för planer som är lagda för beslut, så att ingen läsare väntar på dem."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="bara planen för detta år (oavsett status)")

    def handle(self, *args, year=None, **options):
        plans = WorkPlan.objects.select_related("programme", "decided_by")
        if year is not None:
            plans = plans.filter(year=year)
            if not plans.exists():
                raise CommandError(f"Det finns ingen verksamhetsplan för {year}.")
        else:
            plans = plans.filter(status=WorkPlan.Status.PROPOSED)
        count = 0
        for plan in plans.order_by("year"):
            for done in work_plan_pdfs_prerender(plan=plan):
                self.stdout.write(f"PDF klar: {done}")
                count += 1
        self.stdout.write(f"{count} PDF:er i cachen." if count else "Ingen plan är lagd för beslut.")
