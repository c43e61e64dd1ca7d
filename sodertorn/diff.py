"""A word-level diff of two texts as the reader sees them, rendered as escaped HTML.

Diffs compare the text a reader sees: the Markdown is rendered (sanitised) and read
back as lines of text (headings, "•" list items, paragraphs), so no "###", "- " or ">"
is ever marked as a change. Every piece of that text goes through `format_html`, which
escapes it, so a diff never renders what an editor typed as HTML.
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .markdown import render_markdown

EQUAL, INSERT, DELETE, ELIDED = "equal", "insert", "delete", "elided"
SMALL_MATCH = 2  # matching words between two changes that are shown as part of them
_TOKEN = re.compile(r"(\S+)(\s*)")
HEADING = "\u2063"  # invisible mark before a heading's first word; never rendered


def markdown_text(text: str) -> str:
    """Markdown as the reader sees it, in lines: a heading on a line of its own (marked
    with HEADING), list items as "• …", paragraphs separated by a blank line."""
    html = str(render_markdown(text))
    html = re.sub(r'<sup id="fnref:[^"]*">.*?</sup>', "", html, flags=re.S)
    html = re.sub(r'<a href="#fnref:[^"]*"[^>]*>.*?</a>', "", html, flags=re.S)
    html = re.sub(r"<h[1-6][^>]*>(.*?)</h[1-6]>", lambda m: f"\n\n{HEADING}{m.group(1)}\n\n", html, flags=re.S)
    html = re.sub(r"<li[^>]*>", "\n• ", html)
    html = re.sub(r"<br\s*/?>", "\n", html)
    html = re.sub(r"</(p|ul|ol|blockquote|table|tr|div|section)>|<hr\s*/?>", "\n\n", html)
    html = re.sub(r"</t[dh]>", " ", html)
    lines = [" ".join(line.split()) for line in unescape(strip_tags(html)).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n• (?:\n+)", "\n• ", text)  # "<li><p>…" puts the text on the bullet's line
    text = re.sub(r"(\n• [^\n]*)\n\n(?=• )", r"\1\n", text)  # list items on consecutive lines
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _lines_html(text: str, mark: str = "", hidden: str = "") -> SafeString:
    """Text as escaped HTML, one mark (<ins>/<del>) per line so that no mark runs over a
    line break; heading lines in bold."""
    parts = []
    for line in text.split("\n"):
        heading = line.startswith(HEADING)
        html = escape(line.replace(HEADING, ""))
        if heading and html:
            html = f"<strong>{html}</strong>"
        if mark and html:
            html = f'<{mark}><span class="visually-hidden">{hidden}</span>{html}</{mark}>'
        parts.append(html)
    return mark_safe("\n".join(parts))


@dataclass
class Segment:
    op: str
    text: str = ""
    tail: str = ""  # the white space after the text; kept outside <ins>/<del>

    def __html__(self) -> str:
        # format_html escapes text and tail; the marks carry words for screen
        # readers, and the stylesheets underline/strike them, so colour is extra.
        if self.op == INSERT:
            return format_html("{}{}", _lines_html(self.text, "ins", "tillagt: "), self.tail)
        if self.op == DELETE:
            return format_html("{}{}", _lines_html(self.text, "del", "borttaget: "), self.tail)
        if self.op == ELIDED:
            return format_html(
                '<span class="elided">…<span class="visually-hidden"> (oförändrad text utelämnad)</span></span>{}',
                self.tail,
            )
        return format_html("{}{}", _lines_html(self.text), self.tail)


@dataclass
class Diff:
    """Old and new text as segments; renders itself as escaped HTML in a template."""

    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op in (INSERT, DELETE) for s in self.segments)

    def __html__(self) -> SafeString:
        return format_html_join("", "{}", ((s,) for s in self.segments))

    def __str__(self) -> str:
        return self.__html__()


def _segment(op: str, tokens: list[tuple[str, str]]) -> Segment:
    text = "".join(word + space for word, space in tokens[:-1]) + tokens[-1][0]
    return Segment(op, text, tokens[-1][1])


def _heading_line(tokens: list[tuple[str, str]], before: str) -> tuple[int, int] | None:
    """The last Markdown heading line ("### Rubrik") among `tokens`, as (start, end)
    indexes; `before` is the white space that precedes the first token."""
    found = None
    for i, (word, _) in enumerate(tokens):
        at_line_start = "\n" in (tokens[i - 1][1] if i else before)
        if word.startswith(HEADING) and at_line_start:
            end = i
            while end < len(tokens) - 1 and "\n" not in tokens[end][1]:
                end += 1
            found = (i, end + 1)
    return found


def _equal_run(tokens, first: bool, last: bool, before: str, context: int | None) -> list[Segment]:
    """An unchanged run, shortened to the words around the changes next to it. The
    last heading in the cut part is kept, so a change still shows where it stands."""
    head = 0 if first or context is None else context
    tail = 0 if last or context is None else context
    if context is None or len(tokens) <= head + tail + 5:
        return [_segment(EQUAL, tokens)]
    segments = [_segment(EQUAL, tokens[:head])] if head else []
    middle = tokens[head:len(tokens) - tail]
    heading = _heading_line(middle, tokens[head - 1][1] if head else before)
    if heading:
        start, end = heading
        if start:
            segments.append(Segment(ELIDED, tail="\n"))
        segments.append(_segment(EQUAL, middle[start:end]))
        if end < len(middle):
            segments.append(Segment(ELIDED, tail=" "))
    else:
        segments.append(Segment(ELIDED, tail=" "))
    if tail:
        segments.append(_segment(EQUAL, tokens[-tail:]))
    return segments


def word_diff(old: str, new: str, context: int | None = None) -> Diff:
    """A word-level diff of two texts (difflib.SequenceMatcher on the words).

    With `context`, unchanged runs are cut to that many words on each side of a
    change. White space is not compared: reflowing a paragraph is no change. One or
    two words that happen to match between two changes ("för", "och") are taken
    into the change, so a rewritten sentence reads as old text against new text."""
    a, b = _TOKEN.findall((old or "").strip()), _TOKEN.findall((new or "").strip())
    matcher = SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    blocks: list[list] = []  # [is_change, old tokens, new tokens]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        blocks.append([op != "equal", a[i1:i2], b[j1:j2]])
    merged: list[list] = []
    for index, (is_change, old_tokens, new_tokens) in enumerate(blocks):
        # Opcodes alternate, so a run that is neither first nor last lies between changes.
        small_match = 0 < index < len(blocks) - 1 and len(new_tokens) <= SMALL_MATCH
        if (is_change or small_match) and merged and merged[-1][0]:
            merged[-1][1] += old_tokens
            merged[-1][2] += new_tokens
        else:
            merged.append([is_change, list(old_tokens), list(new_tokens)])
    runs = []
    for is_change, old_tokens, new_tokens in merged:
        if not is_change:
            runs.append((EQUAL, new_tokens))
            continue
        if old_tokens:
            runs.append((DELETE, old_tokens))
        if new_tokens:
            runs.append((INSERT, new_tokens))
    segments: list[Segment] = []
    for index, (op, tokens) in enumerate(runs):
        if op == EQUAL and len(runs) > 1:
            before = segments[-1].tail if segments else "\n"  # the text starts a line
            segments += _equal_run(tokens, index == 0, index == len(runs) - 1, before, context)
        else:
            segments.append(_segment(op, tokens))
    for previous, segment in zip(segments, segments[1:]):
        if not previous.tail and segment.op != ELIDED:
            previous.tail = " "  # a mark after the last word of the text
        if previous.op == DELETE and segment.op == INSERT:
            previous.tail = " "  # old and new words side by side; the new text keeps the line break
    return Diff(segments)
