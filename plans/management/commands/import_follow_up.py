from django.core.management.base import BaseCommand, CommandError

from plans.follow_up_import import FollowUpImportError, follow_up_import
from plans.models import WorkPlan


class Command(BaseCommand):
    help = ("Läser in uppföljningen (Uppföljning, Resultat, Utfall (kr)) ur handlingsplanens export, "
            "CSV eller XLSX. Allt eller inget.")

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Planens år.")
        parser.add_argument("file", help="Handlingsplanens export med uppföljningen ifylld (.csv eller .xlsx).")

    def handle(self, *args, year, file, **options):
        plan = WorkPlan.objects.filter(year=year).first()
        if plan is None:
            raise CommandError(f"Det finns ingen verksamhetsplan för {year}.")
        try:
            count = follow_up_import(plan=plan, path=file)
        except FileNotFoundError:
            raise CommandError(f"Filen {file} finns inte.")
        except FollowUpImportError as exc:
            raise CommandError("Inget sparades.\n" + "\n".join(exc.errors))
        self.stdout.write(self.style.SUCCESS(f"Uppföljningen av {count} aktiviteter i {plan} är inläst."))
