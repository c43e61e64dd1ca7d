"""Helpers shared by the project's management commands."""
from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(command: str, force: bool) -> None:
    """Development tools change data wholesale; on a production database
    (DEBUG=False) they run only when the operator says --force."""
    if settings.DEBUG or force:
        return
    raise CommandError(
        f"{command} är ett utvecklingsverktyg och körs inte i produktion (DEBUG=False). "
        f"Lägg till --force om du verkligen vill köra det mot den här databasen. / "
        f"{command} is a development tool and does not run in production (DEBUG=False); "
        f"add --force to run it anyway."
    )
