"""Freezes the fees of the plans decided before this system (run once after upgrading)."""
from django.core.management.base import BaseCommand

from budget.services import budgets_freeze_decided_fees


class Command(BaseCommand):
    help = (
        "Fryser avgifterna (folkmängd, andel, avgift) för budgetar vars plan är beslutad men saknar "
        "frysta avgifter, dvs. planer beslutade innan systemet. Kör en gång efter uppgraderingen."
    )

    def handle(self, *args, **options):
        frozen = budgets_freeze_decided_fees()
        years = ", ".join(str(b.year) for b in frozen) or "inga"
        self.stdout.write(f"Frysta avgifter för: {years}.")
