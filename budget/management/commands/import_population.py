"""python manage.py import_population folkmangd.csv [--replace] [--dry-run]"""
from django.core.management.base import BaseCommand, CommandError

from budget.services import HEADER, PopulationImportError, population_import_csv


class Command(BaseCommand):
    help = (
        "Importerar folkmängd per kommun och datum från en CSV-fil i SCB-format med rubrikraden "
        f"{','.join(HEADER)}. Allt eller inget: en fil med något fel ändrar ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-fil (UTF-8), t.ex. fixtures/folkmangd.csv")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ersätt befintliga uppgifter för samma kommun och datum (annars vägras filen om de skiljer sig).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen men spara ingenting.")

    def handle(self, *args, file, replace, dry_run, **options):
        try:
            result = population_import_csv(path=file, replace=replace, dry_run=dry_run)
        except PopulationImportError as exc:
            raise CommandError(f"{file} importerades inte; ingenting har ändrats.\n" + "\n".join(exc.errors)) from None
        verb = "Skulle importera" if dry_run else "Importerade"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {file}: {result.created} nya, {result.replaced} ersatta, {result.unchanged} oförändrade uppgifter."
        ))
