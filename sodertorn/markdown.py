"""Markdown typed in the admin, rendered and sanitised.

Editors type Markdown; the HTML it produces (and any raw HTML they type) passes an
allowlist in nh3 before it reaches a page or a PDF: no scripts, no event handlers,
no style, and links only to https:, mailto: and anchors in the same page (`#fn:1`);
relative and protocol-relative (`//host`) links are dropped.

Limits that keep every page and PDF renderable in bounded time:
- table cells span at most MAX_SPAN columns or rows (`colspan="1000000"` kept
  WeasyPrint busy for minutes);
- content nests at most MAX_DEPTH elements deep (WeasyPrint's layout recurses and
  fails with RecursionError at about 200); deeper tags are dropped, their text kept;
- `<style>` and `<script>` blocks are removed with their content before Markdown
  sees them, and the start or end tag of an element whose content HTML reads as raw
  text (an unclosed `<style>`, `<iframe>`, `<textarea>` …) is removed on its own, so
  it cannot swallow the rest of a chapter.

Rendering is memoised: the same text (a chapter shown on the page, in the PDF and
in the comparison) is converted once per process, by a pure function of the text
(an LRU cache of CACHE_SIZE entries; texts over CACHE_TEXT_LIMIT characters are not
kept). Each thread reuses one configured `markdown.Markdown`, reset before every
conversion: an instance keeps state (footnotes) between calls and is not thread-safe.

`validate_markdown` refuses, on save, text that breaks the limits, with a Swedish
message; rendering enforces them anyway (for rows saved before, or through paths
that skip validation).
"""
import functools
import html as htmllib
import re
import threading
from urllib.parse import urlsplit

import markdown as md
import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "a",
    "sup", "sub", "hr", "abbr", "code", "pre", "ins", "del", "div", "section",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
    "section": {"class"},
}
ALLOWED_SCHEMES = {"https", "mailto"}
MAX_SPAN = 20
MAX_DEPTH = 20
VOID_TAGS = {"br", "hr"}
CACHE_SIZE = 1024
CACHE_TEXT_LIMIT = 100_000
EXTENSIONS = ["tables", "sane_lists", "footnotes"]

# Elements whose content an HTML parser reads as raw text up to their end tag.
RAW_TEXT_TAGS = "style|script|xmp|iframe|noembed|noframes|noscript|plaintext|textarea|title|template"
_STYLE_OR_SCRIPT_BLOCK = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_RAW_TEXT_TAG = re.compile(rf"</?(?:{RAW_TEXT_TAGS})\b[^>]*>", re.IGNORECASE)
_RAW_TEXT_TAG_START = re.compile(rf"<(/?(?:{RAW_TEXT_TAGS})\b)", re.IGNORECASE)
# A tag in nh3's output: attribute values are always double-quoted there.
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"]|"[^"]*")*>')
_HREF = re.compile(r'\bhref="([^"]*)"')
_SPAN_IN_SOURCE = re.compile(r"""\b(?:col|row)span\s*=\s*["']?\s*(\d+)""", re.IGNORECASE)


def _span(value: str) -> str | None:
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    return str(max(1, min(int(value[:4]) if len(value) <= 4 else MAX_SPAN, MAX_SPAN)))


def _allowed_href(value: str) -> bool:
    value = value.strip()
    if value.startswith("#"):
        return True
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "https":
        return bool(parts.netloc) and "\\" not in value
    return scheme == "mailto"


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("colspan", "rowspan"):
        return _span(value)
    if attribute == "href" and not _allowed_href(value):
        return None
    return value


def strip_raw_text_elements(text: str) -> str:
    """`<style>`/`<script>` blocks removed with their content; any other tag of a
    raw-text element (closed or not) removed on its own, or escaped when it has no `>`."""
    text = _STYLE_OR_SCRIPT_BLOCK.sub("", text)
    text = _RAW_TEXT_TAG.sub("", text)
    return _RAW_TEXT_TAG_START.sub(r"&lt;\1", text)


def sanitise(html: str) -> str:
    return nh3.clean(
        strip_raw_text_elements(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute_filter,
    )


def nesting_depth(html: str) -> int:
    """How deep the elements of sanitised HTML nest."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() in VOID_TAGS:
            continue
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Sanitised HTML without the tags nested deeper than `max_depth` (their text stays)."""
    if html.count("<") <= 2 * max_depth:
        return html
    out, position, kept = [], 0, []
    for match in _TAG.finditer(html):
        out.append(html[position:match.start()])
        position = match.end()
        if match.group(2).lower() in VOID_TAGS:
            out.append(match.group(0))
            continue
        if match.group(1):
            keep = kept.pop() if kept else False
        else:
            keep = sum(kept) < max_depth
            kept.append(keep)
        if keep:
            out.append(match.group(0))
    out.append(html[position:])
    return "".join(out)


_local = threading.local()


def _to_html(text: str) -> str:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=EXTENSIONS, output_format="html")
    return converter.reset().convert(strip_raw_text_elements(text or ""))


def _render(text: str) -> str:
    return flatten(sanitise(_to_html(text)))


_render_cached = functools.lru_cache(maxsize=CACHE_SIZE)(_render)


def render_markdown(text: str) -> SafeString:
    text = text or ""
    return mark_safe(_render_cached(text) if len(text) <= CACHE_TEXT_LIMIT else _render(text))


def validate_markdown(text: str) -> None:
    """Refuses Markdown that a page or PDF could not show as typed: cells spanning
    too many columns or rows, or nesting deeper than the layout handles."""
    errors = []
    if any(len(n) > 3 or int(n) > MAX_SPAN for n in _SPAN_IN_SOURCE.findall(text or "")):
        errors.append(ValidationError(
            f"En tabellcell kan sträcka sig över högst {MAX_SPAN} kolumner eller rader (colspan, rowspan).",
            code="span",
        ))
    html = _to_html(text)
    refused = [link for link in map(htmllib.unescape, _HREF.findall(html)) if not _allowed_href(link)]
    if refused:
        errors.append(ValidationError(
            "Länkar måste börja med https://, mailto: eller # (en rubrik på sidan); "
            f"ändra eller ta bort: {', '.join(refused)}.",
            code="link",
        ))
    depth = nesting_depth(sanitise(html))
    if depth > MAX_DEPTH:
        errors.append(ValidationError(
            f"Texten är nästlad i {depth} nivåer; högst {MAX_DEPTH} går att visa. "
            "Minska antalet nivåer av listor, citat eller HTML-element.",
            code="depth",
        ))
    if errors:
        raise ValidationError(errors)
