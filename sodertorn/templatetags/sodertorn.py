from django import template
from django.utils.safestring import SafeString

from sodertorn.markdown import render_markdown

register = template.Library()

NBSP = "\u00a0"


def format_kronor(value) -> str:
    """1977400 → "1 977 400" with non-breaking spaces, as Swedish documents write it."""
    if value is None or value == "":
        return ""
    number = round(value)
    sign = "−" if number < 0 else ""
    digits = f"{abs(number):,}".replace(",", NBSP)
    return f"{sign}{digits}"


@register.filter
def kr(value) -> str:
    """An amount in whole kronor: "1 977 400 kr"; empty input stays empty."""
    text = format_kronor(value)
    return f"{text}{NBSP}kr" if text else ""


@register.filter
def number(value) -> str:
    return format_kronor(value)


@register.filter
def markdown(text) -> SafeString:
    return render_markdown(text)


@register.filter
def signed_kr(value) -> str:
    """A difference in kronor with its sign: "+12 000 kr", "−5 000 kr", "0 kr"."""
    if value is None or value == "":
        return ""
    sign = "+" if value > 0 else ""
    return f"{sign}{format_kronor(value)}{NBSP}kr"


@register.filter
def soft_slashes(text) -> SafeString:
    """Escape `text` and allow a line break after each "/" ("Möten/webb/utredningar/…"),
    so a narrow table column need not break a word or scroll sideways."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    return mark_safe(escape(text).replace("/", "/<wbr>"))
