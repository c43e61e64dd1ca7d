"""python manage.py import_population folkmangd.csv [--replace] [--dry-run]

All or nothing: every line is checked before anything is saved, and one bad line
refuses the file. A figure that already exists for the same municipality and date
is left as it is when the file says the same (so importing a file twice is
harmless); when the file says something else the file is refused, unless
--replace is given. See budget.services.population_import_csv.
"""
from django.core.management.base import BaseCommand, CommandError

from budget.services import HEADER, PopulationImportError, population_import_csv


class Command(BaseCommand):
    help = (
        "Importerar folkmängd per kommun och datum från en CSV-fil i SCB-format med rubrikraden "
        f"{','.join(HEADER)}. Allt eller inget: en fil med något fel ändrar ingenting. "
        "En befintlig uppgift för samma kommun och datum lämnas orörd om filen säger samma sak; "
        "säger filen något annat vägras den, om inte --replace anges."
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
