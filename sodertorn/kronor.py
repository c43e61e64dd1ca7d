"""Whole kronor: the one rounding rule, shared by the fee arithmetic (budget/fees.py)
and the amount formatting of every page (templatetags/sodertorn.py)."""
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_kronor(value: Fraction | Decimal | int | float) -> int:
    """Half a krona and more rounds up, as an invoice does (not banker's rounding)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    elif not isinstance(value, Decimal):
        value = Decimal(str(value))
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
