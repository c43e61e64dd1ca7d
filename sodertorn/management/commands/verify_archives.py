"""Checks every archive against its file and the archive chain (sodertorn/archive.py)."""
from django.core.management.base import BaseCommand, CommandError

from sodertorn.archive import verify_archives


class Command(BaseCommand):
    help = (
        "Kontrollerar arkivet: räknar om varje arkiverad fils SHA-256 och jämför med raden, varje rad med "
        "dess länk i arkivkedjan och hela kedjans hashar. Avslutar med felkod och namnger varje avvikelse."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Databasen att kontrollera.")

    def handle(self, *args, database, **options):
        result = verify_archives(using=database)
        checked = ", ".join(f"{count} {name}" for name, count in result.rows.items())
        self.stdout.write(f"Arkivkedjan: {result.links} länkar, senaste hash {result.head_hash}.")
        self.stdout.write(f"Kontrollerade: {checked}.")
        if result.mismatches:
            for mismatch in result.mismatches:
                self.stderr.write(f"AVVIKELSE {mismatch}")
            raise CommandError(f"{len(result.mismatches)} avvikelser i arkivet.")
        self.stdout.write("Inga avvikelser: varje arkiv stämmer med sin fil och med arkivkedjan.")
