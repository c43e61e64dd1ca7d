"""Markdown typed in the admin, rendered and sanitised.

Editors type Markdown; the HTML it produces (and any raw HTML they type) passes an
allowlist in nh3 before it reaches a page or a PDF: no scripts, no event handlers,
no style, and links only to https: and mailto:.
"""
import markdown as md
import nh3
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


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["tables", "sane_lists", "footnotes"], output_format="html")
    return mark_safe(sanitise(html))
