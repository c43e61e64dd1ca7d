"""The comparison of two plans (`plan_changes`): what changed from an earlier plan to
this one, chapter by chapter as a word-level diff (sodertorn/diff.py), the action
plan's activities and the budget lines. The same context is the plan PDF's appendix
"Ändringar sedan <år>". It runs a fixed number of queries whatever the plans' size
(see tests/plans/test_compare.py).
"""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Prefetch

from budget.models import BudgetLine
from sodertorn.diff import DELETE, ELIDED, EQUAL, INSERT, Diff, Segment, markdown_text, word_diff
from sodertorn.templatetags.sodertorn import signed_kr

from plans.models import Activity, Chapter, CollaborationTopic, WorkPlan
from plans.selectors import activities_for_plan

CONTEXT_WORDS = 15  # unchanged words kept on each side of a change in a chapter diff
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
    ("Ansvarig", lambda a: a.responsible_display),
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
