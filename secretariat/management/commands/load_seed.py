from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sodertorn.commands import refuse_in_production
from secretariat.seed import SeedError, seed_load


class Command(BaseCommand):
    help = (
        "Läser in källdokumentens uppgifter (fixtures/*.yaml). Kan köras flera gånger: det som redan "
        "stämmer lämnas orört, och poster som ändrats eller raderats efter inläsningen skrivs inte över."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Bara dessa filer (standard: alla i fixtures/).")
        parser.add_argument("--overwrite", action="store_true",
                            help="Skriv seed-datans värden även över poster som ändrats efter inläsningen.")
        parser.add_argument("--force", action="store_true", help="Kör även när DEBUG=False (produktion).")

    def handle(self, *args, files, overwrite, force, **options):
        refuse_in_production("load_seed", force)
        try:
            result = seed_load(files or None, overwrite=overwrite)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        written = ", ".join(
            f"{n} {name}" for name, n in sorted(result.counts.items())
        )
        if written:
            self.stdout.write(self.style.SUCCESS(f"Seed-data inläst: {written}."))
        else:
            self.stdout.write(f"Seed-data: inget att ändra ({result.unchanged} poster redan inlästa).")
        if result.skipped:
            self.stdout.write(self.style.WARNING(
                f"Lämnade orörda ({len(result.skipped)}), ändrade eller raderade efter inläsningen "
                f"(--overwrite skriver över dem):"
            ))
            for line in result.skipped:
                self.stdout.write(f"  {line}")
