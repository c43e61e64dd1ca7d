from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from plans.models import WorkPlan
from plans.services import programme_in_force
from secretariat.services import work_plan_copy_to_year


class Command(BaseCommand):
    help = "Skapar nästa års verksamhetsplan som utkast från en befintlig plan."

    def add_arguments(self, parser):
        parser.add_argument("from_year", type=int, help="Planen att utgå från.")
        parser.add_argument("to_year", type=int, help="Året för den nya planen.")

    def handle(self, *args, from_year, to_year, **options):
        try:
            source = WorkPlan.objects.get(year=from_year)
        except WorkPlan.DoesNotExist:
            raise CommandError(f"Det finns ingen verksamhetsplan för {from_year}.")
        programme = programme_in_force(to_year, prefer=source.programme)
        if programme is None:
            raise CommandError(f"Inget utvecklingsprogram gäller {to_year}. Lägg först in det nya programmet.")
        try:
            plan = work_plan_copy_to_year(source=source, year=to_year, programme=programme)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(self.style.SUCCESS(
            f"{plan} skapad som utkast: {plan.chapters.count()} kapitel, {plan.activities.count()} aktiviteter."
        ))
