"""Two reports on a plan, each one context builder shared by its page and its PDF.

- The comparison (`plan_changes`): what changed from an earlier plan to this one,
  chapter by chapter as a word-level diff, the action plan's activities and the
  budget lines. The same context is the plan PDF's appendix "Ändringar sedan <år>".
- The årsredovisning (`annual_report_document`): per goal what was done, with the
  planned cost against the outcome.

Both run a fixed number of queries whatever the plans' size (see
tests/plans/test_compare.py and tests/plans/test_annual_report.py).

Diffs compare the text a reader sees: the Markdown is rendered (sanitised) and read
back as lines of text (headings, "•" list items, paragraphs), so no "###", "- " or ">"
is ever marked as a change. Every piece of that text goes through `format_html`, which
escapes it, so a diff never renders what an editor typed as HTML.
"""
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from html import unescape

from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

from budget.models import BudgetLine
from budget.selectors import budget_summary
from sodertorn.freshness import public_page
from sodertorn.pdf import pdf_response
from sodertorn.markdown import render_markdown
from sodertorn.templatetags.sodertorn import format_kronor

from .models import Activity, Chapter, CollaborationTopic, WorkPlan
from .selectors import activities_for_plan, visible_plans

# --------------------------------------------------------------------------------------
# Word-level diff
# --------------------------------------------------------------------------------------

EQUAL, INSERT, DELETE, ELIDED = "equal", "insert", "delete", "elided"
CONTEXT_WORDS = 15  # unchanged words kept on each side of a change in a chapter diff
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


# --------------------------------------------------------------------------------------
# Comparison of two plans
# --------------------------------------------------------------------------------------

_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _title_key(title: str) -> str:
    """"Budget 2017" and "Budget 2019" are the same chapter; so are "Kalendarium"s."""
    return " ".join(_YEAR.sub(" ", title).split()).casefold()


def _text_key(title: str) -> str:
    return " ".join(title.split()).casefold().rstrip(".")


def _plan_contents(plan: WorkPlan) -> dict:
    """What the comparison reads of one plan (9 queries): chapters with their
    documents; areas, topics and topic networks; activities with goal, topic and
    their three responsible relations; budget lines."""
    chapters = list(plan.chapters.select_related("document").order_by("position"))
    areas = list(
        plan.areas.prefetch_related(
            Prefetch("topics", queryset=CollaborationTopic.objects.prefetch_related("networks").order_by("position"))
        ).order_by("position")
    )
    return {
        "chapters": chapters,
        "areas": areas,
        "activities": list(activities_for_plan(plan)),
        "budget_lines": list(BudgetLine.objects.filter(budget__plan=plan).order_by("kind", "position", "id")),
    }


@dataclass
class Block:
    """A piece of a chapter's text that is compared with its counterpart: the
    chapter's own text, or (in the areas chapter) one area or one topic."""

    key: tuple
    heading: str
    text: str


def _join(parts) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _networks_label(networks) -> str:
    """"Nätverk: Klimatstrateger" or "Samarbete: Etablering Södertörn", as the plans write it."""
    parts: list[list] = []
    for network in networks:
        label = network.get_kind_display()
        if parts and parts[-1][0] == label:
            parts[-1][1].append(network.short_name or network.name)
        else:
            parts.append([label, [network.short_name or network.name]])
    return "; ".join(f"{label}: {', '.join(names)}" for label, names in parts)


def _chapter_blocks(chapter: Chapter, areas) -> list[Block]:
    """The text a chapter prints, as Markdown blocks: its body, the attached
    document, and for the areas chapter every area and topic the plan renders under it.
    Areas and topics are blocks of their own so that a topic that moved is compared
    with itself, not with whatever now stands in its place."""
    body = [chapter.body]
    if chapter.kind == Chapter.Kind.DOCUMENT and chapter.document_id:
        body += [f"### {chapter.document.title}", chapter.document.body]
    blocks = [Block(("body",), "", markdown_text(_join(body)))]
    if chapter.kind == Chapter.Kind.AREAS:
        for area in areas:
            heading = f"### {area.title}"
            parts = [heading]
            if area.purpose:
                parts.append(f"Syfte: {area.purpose}")
            if area.governing_document:
                parts.append(f"Styrdokument: {area.governing_document}")
            blocks.append(Block(("area", _text_key(area.title)), markdown_text(heading), markdown_text(_join(parts + [area.body]))))
            for topic in area.topics.all():
                heading = f"#### {topic.title}"
                parts = [heading, topic.body, _networks_label(topic.networks.all())]
                blocks.append(Block(("topic", _text_key(topic.title)), markdown_text(heading), markdown_text(_join(parts))))
    return blocks


def _blocks_diff(old: list[Block], new: list[Block]) -> Diff:
    """The word diff of a chapter, block by block. Blocks pair by their key (areas
    left over pair in order); unchanged topics are left out ("…"), an unchanged
    area keeps its heading for orientation, and blocks only the old chapter has
    are shown deleted at the end."""
    old_left = list(old)
    pairs = []
    for block in new:
        match = next((o for o in old_left if o.key == block.key), None)
        if match:
            old_left.remove(match)
        pairs.append([match, block])
    spare_areas = [o for o in old_left if o.key[0] == "area"]
    for pair in pairs:
        if pair[0] is None and pair[1].key[0] == "area" and spare_areas:
            pair[0] = spare_areas.pop(0)
            old_left.remove(pair[0])

    segments: list[Segment] = []

    def emit(*block: Segment) -> None:
        """Add one block's segments, on a paragraph of its own."""
        if block[0].op == ELIDED and segments and segments[-1].op == ELIDED:
            block = block[1:]
        if block and segments and "\n" not in segments[-1].tail:
            segments[-1].tail = "\n\n"
        segments.extend(block)

    for before, after in pairs:
        if before is None:
            if after.text:
                emit(Segment(INSERT, after.text))
            continue
        diff = word_diff(before.text, after.text, CONTEXT_WORDS)
        if diff.changed:
            emit(*diff.segments)
        elif after.key[0] == "area":
            emit(Segment(EQUAL, after.heading, "\n\n"))
        elif after.text:
            emit(Segment(ELIDED, tail="\n\n"))
    for block in old_left:
        if block.text:
            emit(Segment(DELETE, block.text))
    if not any(s.op in (INSERT, DELETE) for s in segments):
        return Diff([])
    return Diff(segments)


@dataclass
class ChapterChange:
    old: Chapter
    new: Chapter
    diff: Diff

    @property
    def retitled(self) -> bool:
        """A new title, beyond the year in it ("Syfte" → "Syfte med samarbetskommittén")."""
        return _title_key(self.old.title) != _title_key(self.new.title)

    @property
    def heading_diff(self) -> Diff:
        return word_diff(self.old.heading, self.new.heading)

    @property
    def changed(self) -> bool:
        return self.retitled or self.diff.changed


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _match_chapters(old: list[Chapter], new: list[Chapter], old_text: dict, new_text: dict):
    """Pairs of (old, new) chapters, then the unmatched old and new ones.

    1. Same kind and the same title once years are removed ("Budget 2017" ↔ "Budget 2019").
    2. For kinds other than text: the only chapter of that kind left on each side
       (the areas chapter "Samverkansområden och inriktning 2017" ↔ "Samarbetsområden").
    3. Text chapters of the same kind whose texts are at least half the same words,
       best match first ("Syfte" ↔ "Syfte med samarbetskommittén")."""
    old_left, new_left, pairs = list(old), list(new), []

    def pair(o, n):
        pairs.append((o, n))
        old_left.remove(o)
        new_left.remove(n)

    for n in list(new_left):
        o = next((o for o in old_left if o.kind == n.kind and _title_key(o.title) == _title_key(n.title)), None)
        if o:
            pair(o, n)
    for n in list(new_left):
        if n.kind == Chapter.Kind.TEXT:
            continue
        same_old = [o for o in old_left if o.kind == n.kind]
        same_new = [m for m in new_left if m.kind == n.kind]
        if len(same_old) == 1 and len(same_new) == 1:
            pair(same_old[0], n)
    candidates = [
        (_similarity(old_text[o.pk], new_text[n.pk]), o, n)
        for o in old_left for n in new_left if o.kind == n.kind and old_text[o.pk] and new_text[n.pk]
    ]
    for ratio, o, n in sorted(candidates, key=lambda c: -c[0]):
        if ratio >= 0.5 and o in old_left and n in new_left:
            pair(o, n)
    pairs.sort(key=lambda p: p[1].position)
    return pairs, old_left, new_left


def _responsible(activity: Activity) -> str:
    names = [m.name for m in activity.responsible_municipalities.all()]
    names += [n.name for n in activity.responsible_networks.all()]
    names += [p.name for p in activity.responsible_people.all()]
    if activity.responsible_text:
        names.append(activity.responsible_text)
    return ", ".join(names)


def signed_kr(value: int | None) -> str:
    """A change in kronor with its sign: "+1 032 400 kr", "−50 000 kr", "0 kr"."""
    if value is None:
        return ""
    return f"{'+' if value > 0 else ''}{format_kronor(value)}\u00a0kr"


@dataclass
class FieldChange:
    label: str
    diff: Diff | None = None
    old_amount: int | None = None
    new_amount: int | None = None

    @property
    def difference(self) -> str:
        if self.old_amount is None or self.new_amount is None:
            return ""
        return signed_kr(self.new_amount - self.old_amount)


# The action plan's columns, in its order; None marks the amount (cost).
ACTIVITY_FIELDS = [
    ("Mål", lambda a: a.objective_display),
    ("Beskrivning", lambda a: a.description),
    ("Ansvarig", _responsible),
    ("När", lambda a: a.when),
    ("Kostnad", None),
    ("Kommentar", lambda a: a.comment),
]


@dataclass
class ActivityChange:
    old: Activity
    new: Activity
    fields: list[FieldChange]


def _activity_change(old: Activity, new: Activity) -> ActivityChange:
    fields = []
    for label, value in ACTIVITY_FIELDS:
        if value is None:
            if old.cost != new.cost:
                fields.append(FieldChange(label, old_amount=old.cost, new_amount=new.cost))
            continue
        before, after = value(old) or "", value(new) or ""
        if " ".join(before.split()) != " ".join(after.split()):
            fields.append(FieldChange(label, word_diff(before, after)))
    return ActivityChange(old, new, fields)


def _match_activities(old: list[Activity], new: list[Activity]):
    """Activities are the same when their titles are (case, spacing and a final full
    stop aside); a title that occurs twice pairs in the order of the action plan."""
    by_title: dict[str, list[Activity]] = {}
    for activity in old:
        by_title.setdefault(_text_key(activity.title), []).append(activity)
    added, changed = [], []
    for activity in new:
        candidates = by_title.get(_text_key(activity.title))
        if not candidates:
            added.append(activity)
            continue
        change = _activity_change(candidates.pop(0), activity)
        if change.fields:
            changed.append(change)
    left = {a.pk for rest in by_title.values() for a in rest}
    removed = [a for a in old if a.pk in left]
    return added, removed, changed


@dataclass
class BudgetLineChange:
    kind: str
    old: BudgetLine | None
    new: BudgetLine | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "Ny post"
        if self.new is None:
            return "Borttagen"
        return "Ändrad"

    @property
    def label(self) -> Diff:
        return word_diff(self.old.label if self.old else "", self.new.label if self.new else "")

    @property
    def difference(self) -> str:
        return signed_kr((self.new.amount if self.new else 0) - (self.old.amount if self.old else 0))


def _match_budget_lines(old: list[BudgetLine], new: list[BudgetLine]) -> list[BudgetLineChange]:
    """Lines that differ, income first. A line is matched by its kind and label; the
    lines left over are then matched by kind and place in the list, so a post that
    was renamed ("Personal" → "Personal (utvecklingsledare och administratör)") shows
    as one changed line rather than one removed and one added."""
    changes = []
    for kind in (BudgetLine.Kind.INCOME, BudgetLine.Kind.COST):
        old_left = [line for line in old if line.kind == kind]
        new_lines = [line for line in new if line.kind == kind]
        pairs, new_left = [], []
        for line in new_lines:
            match = next((o for o in old_left if " ".join(o.label.split()) == " ".join(line.label.split())), None)
            if match:
                old_left.remove(match)
                pairs.append((match, line))
            else:
                new_left.append(line)
        renamed = list(zip(old_left, new_left))
        pairs += renamed
        unmatched_new = new_left[len(renamed):]
        unmatched_old = old_left[len(renamed):]
        pairs.sort(key=lambda p: p[1].position)
        for o, n in pairs:
            if o.label != n.label or o.amount != n.amount or o.approximate != n.approximate:
                changes.append(BudgetLineChange(kind, o, n))
        changes += [BudgetLineChange(kind, None, n) for n in unmatched_new]
        changes += [BudgetLineChange(kind, o, None) for o in unmatched_old]
    return changes


def _summary(counts: list[tuple[int, str, str]]) -> str:
    """"7 kapitel ändrade, 1 kapitel borttaget och 32 aktiviteter tillagda"; the
    counts are (n, singular, plural) and those that are zero are left out."""
    parts = [f"{n} {singular if n == 1 else plural}" for n, singular, plural in counts if n]
    if not parts:
        return "Inga ändringar"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " och " + parts[-1]


def plan_changes(plan: WorkPlan, other_plan: WorkPlan) -> dict:
    """What changed from `other_plan` (the earlier one) to `plan`: the context of the
    comparison page and of the plan PDF's appendix (at most 18 queries, 9 per plan)."""
    before, after = _plan_contents(other_plan), _plan_contents(plan)
    old_blocks = {c.pk: _chapter_blocks(c, before["areas"]) for c in before["chapters"]}
    new_blocks = {c.pk: _chapter_blocks(c, after["areas"]) for c in after["chapters"]}
    pairs, removed_chapters, added_chapters = _match_chapters(
        before["chapters"], after["chapters"],
        {pk: _join(b.text for b in blocks) for pk, blocks in old_blocks.items()},
        {pk: _join(b.text for b in blocks) for pk, blocks in new_blocks.items()},
    )
    matched = [ChapterChange(o, n, _blocks_diff(old_blocks[o.pk], new_blocks[n.pk])) for o, n in pairs]
    changed_chapters = [c for c in matched if c.changed]
    added, removed, changed = _match_activities(before["activities"], after["activities"])
    budget_lines = _match_budget_lines(before["budget_lines"], after["budget_lines"])

    def total(lines, kind):
        return sum(line.amount for line in lines if line.kind == kind) if lines else None

    budget_totals = [
        {"label": label, "old": total(before["budget_lines"], kind), "new": total(after["budget_lines"], kind)}
        for kind, label in ((BudgetLine.Kind.INCOME, "Summa intäkter"), (BudgetLine.Kind.COST, "Summa kostnader"))
    ]
    for row in budget_totals:
        both = row["old"] is not None and row["new"] is not None
        row["difference"] = signed_kr(row["new"] - row["old"]) if both else ""
    line_count = {status: sum(1 for line in budget_lines if line.status == status)
                  for status in ("Ändrad", "Ny post", "Borttagen")}
    summary = _summary([
        (len(changed_chapters), "kapitel ändrat", "kapitel ändrade"),
        (len(added_chapters), "kapitel tillagt", "kapitel tillagda"),
        (len(removed_chapters), "kapitel borttaget", "kapitel borttagna"),
        (len(added), "aktivitet tillagd", "aktiviteter tillagda"),
        (len(removed), "aktivitet borttagen", "aktiviteter borttagna"),
        (len(changed), "aktivitet ändrad", "aktiviteter ändrade"),
        (line_count["Ändrad"], "budgetpost ändrad", "budgetposter ändrade"),
        (line_count["Ny post"], "budgetpost tillagd", "budgetposter tillagda"),
        (line_count["Borttagen"], "budgetpost borttagen", "budgetposter borttagna"),
    ])
    return {
        "plan": plan,
        "other_plan": other_plan,
        "anchor": f"andringar-sedan-{other_plan.year}",
        "summary": summary,
        "chapters_changed": changed_chapters,
        "chapters_unchanged": [c.new for c in matched if not c.changed],
        "chapters_added": added_chapters,
        "chapters_removed": removed_chapters,
        "activities_added": added,
        "activities_removed": removed,
        "activities_changed": changed,
        "has_activities": bool(before["activities"] or after["activities"]),
        "budget_lines": budget_lines,
        "budget_totals": budget_totals,
        "has_budgets": bool(before["budget_lines"] or after["budget_lines"]),
    }


# --------------------------------------------------------------------------------------
# Årsredovisning (follow-up)
# --------------------------------------------------------------------------------------

NOT_FOLLOWED_UP = "Ej uppföljd"


@dataclass
class FollowUpRow:
    activity: Activity

    @property
    def status(self) -> str:
        return self.activity.get_follow_up_status_display() if self.activity.follow_up_status else NOT_FOLLOWED_UP

    @property
    def planned(self) -> int | None:
        return self.activity.cost

    @property
    def actual(self) -> int | None:
        return self.activity.actual_cost

    @property
    def difference(self) -> int | None:
        """Outcome minus plan; only where both are known."""
        if self.planned is None or self.actual is None:
            return None
        return self.actual - self.planned

    @property
    def difference_display(self) -> str:
        return signed_kr(self.difference)

    @property
    def is_followed_up(self) -> bool:
        a = self.activity
        return bool(a.follow_up_status or a.outcome.strip() or a.actual_cost is not None)


@dataclass
class Totals:
    rows: list[FollowUpRow] = field(default_factory=list)

    def _sum(self, values) -> int | None:
        values = [v for v in values if v is not None]
        return sum(values) if values else None

    @property
    def planned(self) -> int | None:
        return self._sum(r.planned for r in self.rows)

    @property
    def actual(self) -> int | None:
        return self._sum(r.actual for r in self.rows)

    @property
    def difference(self) -> int | None:
        """The sum of the activities' differences: an activity without an outcome
        yet does not count as saved money."""
        return self._sum(r.difference for r in self.rows)

    @property
    def difference_display(self) -> str:
        return signed_kr(self.difference)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.activity.follow_up_status == Activity.FollowUp.DONE)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def illegible(self) -> int:
        """Costs cut off in the source's scan: shown as not legible, left out of the sums."""
        return sum(1 for r in self.rows if r.planned is None and r.activity.cost_illegible)


@dataclass
class FollowUpGroup(Totals):
    heading: str = ""


def annual_report_document(plan: WorkPlan) -> dict:
    """Everything the årsredovisning page and its PDF show (at most 6 queries): the action
    plan's activities per goal with their follow-up, planned cost against outcome,
    counts per status, and the plan's budget lines."""
    rows = [FollowUpRow(a) for a in activities_for_plan(plan)]
    groups: dict[str, FollowUpGroup] = {}
    for row in rows:
        heading = row.activity.group_heading
        groups.setdefault(heading, FollowUpGroup(heading=heading)).rows.append(row)
    status_counts = [
        {"status": label, "count": sum(1 for r in rows if r.activity.follow_up_status == value)}
        for value, label in Activity.FollowUp.choices
    ]
    status_counts.append({"status": NOT_FOLLOWED_UP, "count": sum(1 for r in rows if not r.activity.follow_up_status)})
    budget = getattr(plan, "budget", None)
    summary = budget_summary(budget) if budget else None
    return {
        "plan": plan,
        "groups": list(groups.values()),
        "totals": Totals(rows),
        "status_counts": status_counts,
        "followed_up": sum(1 for r in rows if r.is_followed_up),
        "budget": summary,
        "budget_outcome_groups": [
            ("Intäkter", summary["income"], summary["income_total"], summary["income_actual_total"]),
            ("Kostnader", summary["costs"], summary["cost_total"], summary["cost_actual_total"]),
        ] if summary else [],
    }


# --------------------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------------------

def _visible_plan(request: HttpRequest, year: int) -> WorkPlan:
    """The plan of `year` if this user may read it, else 404 (drafts are not disclosed)."""
    return get_object_or_404(visible_plans(request.user), year=year)


@public_page
def compare(request: HttpRequest, year: int, other_year: int) -> HttpResponse:
    """What changed from the plan of `other_year` to the plan of `year`. Both must be
    visible to the user; asked the other way round, the page redirects to the later
    plan, so a comparison always reads forward in time."""
    if year == other_year:
        raise Http404("Välj ett annat år att jämföra med.")
    plan, other_plan = _visible_plan(request, year), _visible_plan(request, other_year)
    if other_year > year:
        return redirect("plans:compare", year=other_year, other_year=year)
    return render(request, "plans/compare.html", {
        "plan": plan, "other_plan": other_plan, "changes": plan_changes(plan, other_plan), "nav": "plans",
    })


@public_page
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    plan = _visible_plan(request, year)
    return render(request, "plans/annual_report.html", {**annual_report_document(plan), "nav": "plans"})


@public_page
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    plan = _visible_plan(request, year)
    return pdf_response(
        "plans/pdf/annual_report.html", lambda: annual_report_document(plan), filename=f"arsredovisning-{year}.pdf",
        key=f"annual-report:{plan.pk}",
    )
