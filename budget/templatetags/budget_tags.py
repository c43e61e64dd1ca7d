"""Formatting for the budget and fee pages and documents (Swedish conventions).

Amounts in kronor, signed or not, are the `sodertorn` library's (`kr`, `signed_kr`)."""
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from sodertorn.templatetags.sodertorn import NBSP, format_kronor

register = template.Library()


@register.filter
def signed_percent(value) -> str:
    """A change in per cent with one decimal and a Swedish comma: "+6,2 %"."""
    if value is None or value == "":
        return ""
    text = number_format(abs(value), 1)
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{text}{NBSP}%"


@register.filter
def percent(value, places=2) -> str:
    """22.38 → "22,38 %"."""
    if value is None or value == "":
        return ""
    return f"{number_format(value, int(places))}{NBSP}%"


@register.filter
def rate(value) -> str:
    """Kronor per inhabitant without needless decimals: 4.00 → "4", 1.7508 → "1,7508"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_kronor(value)
    text = format(value.normalize(), "f")
    return number_format(Decimal(text), len(text.split(".")[1]))
