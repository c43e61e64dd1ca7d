"""Swedish number and date formats for text the system writes itself (footnotes,
messages), independent of the active locale."""
import datetime
from decimal import Decimal

from sodertorn.dates import MONTHS

NBSP = "\u00a0"


def swedish_integer(value: int) -> str:
    """486975 → "486 975" (non-breaking space)."""
    return f"{value:,}".replace(",", NBSP)


def swedish_decimal(value: Decimal | float, places: int = 2) -> str:
    """Decimal("4.00") → "4,00"."""
    return f"{value:,.{places}f}".replace(",", NBSP).replace(".", ",")


def swedish_date(day: datetime.date) -> str:
    """2017-12-31 → "31 december 2017"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
