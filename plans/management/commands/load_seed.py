from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sodertorn.seed import SeedError, seed_load


class Command(BaseCommand):
    help = "Läser in källdokumentens uppgifter (fixtures/*.yaml). Kan köras flera gånger utan dubbletter."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Bara dessa filer (standard: alla i fixtures/).")

    def handle(self, *args, files, **options):
        try:
            counts = seed_load(files or None)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Inläst: {summary}."))
