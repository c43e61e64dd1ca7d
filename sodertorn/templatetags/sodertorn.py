import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from sodertorn.kronor import round_kronor
from sodertorn.markdown import render_markdown

register = template.Library()

NBSP = "\u00a0"


def format_kronor(value) -> str:
    """1977400 → "1 977 400" with non-breaking spaces, as Swedish documents write it."""
    if value is None or value == "":
        return ""
    number = round_kronor(value)  # the one rounding rule: half up
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


_FOOTNOTE_ITEM = re.compile(r'<li id="fn:(?P<name>[^"]+)">\s*<p>(?P<text>.*?)(?:&nbsp;|\xa0)?<a href="#fnref:(?P=name)"[^>]*>[^<]*</a></p>\s*</li>', re.S)
_FOOTNOTE_BLOCK = re.compile(r'<div class="footnote">.*?</div>', re.S)
_PAGE_REFERENCE = re.compile(r'<a href="(#[^"]+)"[^>]*>\d+</a>')


@register.filter
def markdown_print(text) -> SafeString:
    """Markdown for the PDFs: as `markdown`, then made for paper.

    - A footnote stands at the foot of the page (CSS `float: footnote`) where its marker
      is, without the web's "↩" link back.
    - A page reference written as a link to an anchor, "(jfr sid [4](#omrade-…))", gets
      the page the anchor lands on in this PDF (CSS `target-counter`), not the page of
      the printed original.
    """
    html = str(render_markdown(text))
    notes = {m["name"]: m["text"].strip() for m in _FOOTNOTE_ITEM.finditer(html)}
    if notes:
        html = _FOOTNOTE_BLOCK.sub("", html)
        for name, note in notes.items():
            html = re.sub(
                rf'<sup id="fnref:{re.escape(name)}"><a href="#fn:{re.escape(name)}"[^>]*>[^<]*</a></sup>',
                lambda _m, note=note: f'<span class="footnote">{note}</span>',
                html,
            )
    html = _PAGE_REFERENCE.sub(r'<a class="page-ref" href="\1"></a>', html)
    return mark_safe(html)
