"""The comparison: what changed from an earlier plan to this one, chapter by chapter,
in the action plan and in the budget — on its page and as the plan PDF's appendix."""
import io
import re

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Activity, Chapter, Municipality, WorkPlan
from secretariat.services import work_plan_reopen
from secretariat.comparison import plan_changes
from sodertorn import freshness
from sodertorn.diff import word_diff
from secretariat.selectors import work_plan_document
from sodertorn.pdf import render_pdf
from tests.growth import count_queries, grow_activities

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def compare_url(year: int, other_year: int) -> str:
    return reverse("plans:compare", args=[year, other_year])


def marked(html: str, tag: str) -> list[str]:
    """The text inside every <ins> or <del>, without the screen-reader prefix."""
    found = re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">[^<]*</span>', "", m)) for m in found]


def section(html: str, heading: str) -> str:
    """The HTML of one chapter's change, from its <h4> to the next section."""
    start = html.index(f"<h4>{heading}</h4>")
    return html[start:html.index("</section>", start)]


@pytest.fixture
def changes():
    return plan_changes(WorkPlan.objects.get(year=2019), WorkPlan.objects.get(year=2017))


@pytest.fixture
def compare_page(anonym):
    """The HTML of the comparison of 2019 with 2017 (not named `page`: that is Playwright's)."""
    response = anonym.get(compare_url(2019, 2017))
    assert response.status_code == 200
    return response.content.decode()


# --- the word diff --------------------------------------------------------------------

def test_a_word_diff_marks_only_the_words_that_changed():
    diff = word_diff("Fokus på den gemensamma nyttan", "Fokus på den gemensamma nyttan.")
    assert [(s.op, s.text) for s in diff.segments] == [
        ("equal", "Fokus på den gemensamma"), ("delete", "nyttan"), ("insert", "nyttan."),
    ]
    html = str(diff)
    assert html == (
        'Fokus på den gemensamma <del><span class="visually-hidden">borttaget: </span>nyttan</del> '
        '<ins><span class="visually-hidden">tillagt: </span>nyttan.</ins>'
    )


def test_identical_texts_and_reflowed_white_space_are_no_change():
    assert not word_diff("Vi samverkar för\natt stärka", "Vi  samverkar för att stärka").changed
    assert "<ins" not in str(word_diff("samma text", "samma text"))


def test_long_unchanged_runs_are_cut_to_the_words_around_a_change():
    before = " ".join(f"ord{i}" for i in range(100))
    after = before.replace("ord50", "ORD50")
    html = str(word_diff(before, after, context=5))
    assert "ord45" in html and "ord55" in html
    assert "ord10" not in html and "ord90" not in html
    assert html.count('class="elided"') == 2


def test_a_diff_escapes_what_an_editor_typed():
    html = str(word_diff("Hej", "Hej <script>alert('x')</script> & <b>fet</b>"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&amp;" in html


# --- the comparison of 2017 and 2019 ------------------------------------------------------

def test_the_comparison_of_2017_and_2019_shows_real_differences(compare_page, text_of, anonym):
    text = text_of(anonym.get(compare_url(2019, 2017)))
    assert "Ändringar sedan 2017" in text
    assert ("Sammanfattning: 7 kapitel ändrade, 3 kapitel tillagda, 1 kapitel borttaget, "
            "32 aktiviteter tillagda, 3 budgetposter ändrade och 1 budgetpost tillagd.") in text
    # Förhållningssätt: 2019 ends every bullet with a full stop.
    forhallningssatt = section(compare_page, "2. Förhållningssätt")
    assert marked(forhallningssatt, "del") == ["nyttan", "kommunen", "ledarskap", "få"]
    assert marked(forhallningssatt, "ins") == ["nyttan.", "kommunen.", "ledarskap.", "få."]
    # The budget chapter got its text about 4 kronor per invånare in 2019.
    budget = section(compare_page, "8. Budget 2019")
    assert any("4 kronor per invånare och år" in m for m in marked(budget, "ins"))
    # Vision 2025: the introductory sentence of 2017 is gone.
    assert any("Den långsiktiga målbilden" in m for m in marked(section(compare_page, "Vision 2025"), "del"))


def test_unchanged_text_is_not_marked(compare_page):
    for tag in ("ins", "del"):
        for text in marked(compare_page, tag):
            assert "Respekt för den demokratiska processen" not in text
            assert "Vi samverkar för att stärka" not in text
    syfte = section(compare_page, "1. Syfte med samarbetskommittén")
    assert "Texten är oförändrad." in syfte
    assert "<ins>" not in syfte.split("Rubriken ändrad:")[1].split("</p>", 1)[1]
    # An unchanged chapter of a matched pair is listed, not diffed.
    same = plan_changes(WorkPlan.objects.get(year=2017), WorkPlan.objects.get(year=2017))
    assert not same["chapters_changed"] and same["summary"] == "Inga ändringar"


def test_chapters_are_matched_by_kind_and_by_title_without_years(changes):
    pairs = {c.new.heading: c.old.heading for c in changes["chapters_changed"]}
    pairs.update({c.heading: c.heading for c in changes["chapters_unchanged"]})
    assert pairs["8. Budget 2019"] == "8. Budget 2017"  # title without the year
    assert pairs["Vision 2025"] == "4. Vision 2025"
    assert pairs["3. Samarbetsområden"] == "5. Samverkansområden och inriktning 2017"  # the only areas chapter
    assert pairs["7. Kalendarium för möten och konferenser"] == "7. Kalendarium"  # the only calendar
    assert pairs["1. Syfte med samarbetskommittén"] == "2. Syfte"  # retitled, same text
    assert [c.heading for c in changes["chapters_added"]] == [
        "7. Återkommande konferenser", "Bilaga 1 Handlingsplan", "Bilaga 2 Samarbetskommitténs samarbetsavtal",
    ]
    assert [c.heading for c in changes["chapters_removed"]] == ["1. Inledning"]


def test_the_areas_chapter_compares_the_areas_and_topics_under_it(compare_page):
    areas = section(compare_page, "3. Samarbetsområden")
    inserted = " ".join(marked(areas, "ins"))
    deleted = " ".join(marked(areas, "del"))
    assert "likvärdig etablering för alla nyanlända" in inserted  # a topic's text
    assert "Samarbete: Etablering Södertörn" in inserted  # a topic's networks, labelled as the plan does
    assert "Gemensamt e-arkiv" in inserted  # a new topic
    assert "Samarbetsformer" in deleted  # a topic 2017 had
    assert "Syftar till att utveckla Södertörn som region" in deleted  # an area's purpose
    # A topic both years have is compared with itself, and its heading is not marked.
    assert "<strong>Gemensam ägarstyrning</strong>" in areas and "Gemensam ägarstyrning" not in inserted + deleted


def test_the_comparison_diffs_the_rendered_text_not_the_markdown(compare_page):
    """Headings, list items and quotes are compared as the reader sees them: no "###",
    no "- " and no struck ">"; a mark never runs over a line break."""
    diffs = re.findall(r'<div class="diff">(.*?)</div>', compare_page, flags=re.S)
    assert diffs
    text = "\n".join(diffs)
    assert "#" not in re.sub(r"&#x?[0-9a-f]+;", "", text)
    assert not re.search(r"^(<[^>]+>)*- ", text, flags=re.M)
    assert "&gt;" not in text
    for mark in marked(text, "ins") + marked(text, "del"):
        assert "\n" not in mark
    areas = section(compare_page, "3. Samarbetsområden")
    assert "<strong>Regionala utvecklingsfrågor</strong>" in areas
    assert "• " in text  # list items keep their bullets


def test_the_pdf_with_the_appendix_says_so_in_its_title(anonym):
    response = anonym.get("/planer/2019/pdf/?jamfor=2017")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Verksamhetsplan och budget 2019 med bilaga: Ändringar sedan 2017"


def test_budget_lines_are_matched_by_label_then_by_place(changes, text_of, anonym):
    """"Personal" (2017) and "Personal (utvecklingsledare och administratör)" (2019) are
    the same post renamed: matched by kind and place once no label matches."""
    lines = {(line.old.label if line.old else None): line for line in changes["budget_lines"]}
    personal = lines["Personal"]
    assert personal.new.label == "Personal (utvecklingsledare och administratör)"
    assert personal.status == "Ändrad" and personal.difference == "+581\u00a0600\u00a0kr"
    assert marked(str(personal.label), "ins") == ["(utvecklingsledare och administratör)"]
    assert lines["Avgifter från kommunerna"].difference == "+1\u00a0032\u00a0400\u00a0kr"
    assert lines[None].new.label == "Möten/webb/utredningar/konsultstöd/resor m.m." and lines[None].status == "Ny post"
    assert not any(line.status == "Borttagen" for line in changes["budget_lines"])
    text = text_of(anonym.get(compare_url(2019, 2017)))
    assert ("Personal tillagt: (utvecklingsledare och administratör) Kostnad Ändrad "
            "895 000 kr ca 1 476 600 kr +581 600 kr") in text
    assert "Summa kostnader 945 000 kr 1 977 400 kr +1 032 400 kr" in text


def test_a_line_whose_label_matches_is_never_paired_by_place():
    """2012 → 2017: Personal and Ersättning keep their labels; "Utredningar, konsultstöd
    m.m." has no counterpart and is removed, not paired with anything."""
    changes = plan_changes(WorkPlan.objects.get(year=2017), WorkPlan.objects.get(year=2012))
    rows = [(line.status, line.old.label if line.old else None, line.new.label if line.new else None)
            for line in changes["budget_lines"]]
    assert rows == [
        ("Ändrad", "Avgifter från kommunerna", "Avgifter från kommunerna"),
        ("Ändrad", "Personal", "Personal"),
        ("Borttagen", "Utredningar, konsultstöd m.m.", None),
    ]


@pytest.fixture
def plan_2020():
    """A 2020 plan carried over from 2019: one activity kept and changed, one new."""
    old = WorkPlan.objects.get(year=2019)
    plan = WorkPlan.objects.create(year=2020, programme=old.programme, status=WorkPlan.Status.DECIDED)
    kept = old.activities.get(title="Tvär Södertörn")
    with lock_bypass():  # a decided plan registered with its parts, as the seed loader does
        activity = Activity.objects.create(
            plan=plan, position=1, goal=kept.goal, title="Tvär Södertörn", date_precision="ongoing",
            cost=50000, comment="Bevaka genomförandet. Förberedelser inför revidering av kommande NTP/LTP.",
        )
        activity.responsible_municipalities.set(Municipality.objects.filter(name__in=["Haninge", "Huddinge"]))
        Activity.objects.create(plan=plan, position=2, title="Ny aktivitet om cykelstråk", date_precision="month", month=5)
        Chapter.objects.create(plan=plan, position=1, number="1", title="Syfte med samarbetskommittén",
                               body=old.chapters.get(title="Syfte med samarbetskommittén").body)
    return plan


def test_activities_added_removed_and_changed_are_listed(plan_2020, anonym):
    changes = plan_changes(plan_2020, WorkPlan.objects.get(year=2019))
    assert [a.title for a in changes["activities_added"]] == ["Ny aktivitet om cykelstråk"]
    assert len(changes["activities_removed"]) == 31
    (change,) = changes["activities_changed"]
    assert [f.label for f in change.fields] == ["Ansvarig", "Kostnad", "Kommentar"]
    responsible, cost, comment = change.fields
    assert marked(str(responsible.diff), "del") == ["Botkyrka,"]
    assert cost.old_amount is None and cost.new_amount == 50000
    assert marked(str(comment.diff), "ins") == ["genomförandet."]
    html = anonym.get(compare_url(2020, 2019)).content.decode()
    assert "Ändrade aktiviteter" in html and "<strong>Tvär Södertörn</strong>" in html
    assert "ingen kostnad" in html and "50\u00a0000\u00a0kr" in html
    assert "Aktiviteter som fanns 2019 men är borttagna (31)" in html
    assert "1 kapitel ändrat" not in html  # Syfte is the same text under the same title
    assert "1 aktivitet tillagd, 31 aktiviteter borttagna, 1 aktivitet ändrad" in html


def test_hostile_text_in_a_chapter_is_escaped_in_the_diff(anonym):
    with lock_bypass():  # hostile text registered in a decided plan
        Chapter.objects.filter(plan__year=2019, title="Förhållningssätt").update(
            body="Vår samverkan <script>alert('x')</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
        )
    html = anonym.get(compare_url(2019, 2017)).content.decode()
    assert "<script>alert" not in html and "<img" not in html
    # The diff compares what the page shows: the sanitised text, without the script.
    inserted = " ".join(marked(section(html, "2. Förhållningssätt"), "ins"))
    assert "Vår samverkan" in section(html, "2. Förhållningssätt")
    assert "alert" not in inserted and "javascript" not in html


# --- access -------------------------------------------------------------------------------

def test_drafts_are_not_comparable_for_anonymous_users(anonym):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Planen blir ett utkast igen.", user=None)
    assert anonym.get(compare_url(2019, 2017)).status_code == 404
    assert anonym.get(compare_url(2017, 2019)).status_code == 404  # no redirect reveals the draft


def test_readers_compare_drafts(lasare):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Planen blir ett utkast igen.", user=None)
    assert lasare.get(compare_url(2019, 2017)).status_code == 200


def test_a_comparison_asked_backwards_reads_forward_in_time(anonym):
    response = anonym.get(compare_url(2017, 2019))
    assert response.status_code == 302 and response["Location"] == compare_url(2019, 2017)


@pytest.mark.parametrize("years", [(2019, 2019), (2019, 1999), (1999, 2019)])
def test_a_plan_compared_with_itself_or_a_missing_year_is_not_found(anonym, years):
    assert anonym.get(compare_url(*years)).status_code == 404


# --- the plan PDF's appendix --------------------------------------------------------------

def test_the_appendix_starts_a_new_page_in_the_plan_pdf_with_its_own_heading():
    plan, other = WorkPlan.objects.get(year=2019), WorkPlan.objects.get(year=2017)
    pdf = render_pdf("plans/pdf/work_plan.html", {**work_plan_document(plan), "changes": plan_changes(plan, other)})
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    first = next(i for i, text in enumerate(pages) if "jämförd med Verksamhetsplan och budget 2017" in text)
    assert pages[first].startswith("Ändringar sedan 2017\n")
    assert "Bilaga 2 Samarbetskommitténs samarbetsavtal" in pages[first - 1]  # the plan ends on the page before
    text = pdf_text(pdf)
    assert "3 budgetposter ändrade och 1 budgetpost tillagd" in text
    assert "tillagt: nyttan." in text and "borttaget: nyttan" in text  # words for screen readers, in order
    assert "895 000 kr" in text and "+581 600 kr" in text


def test_the_plan_pdf_has_no_appendix_without_a_comparison():
    plan = WorkPlan.objects.get(year=2019)
    assert "Ändringar sedan" not in pdf_text(render_pdf("plans/pdf/work_plan.html", work_plan_document(plan)))


# --- queries ------------------------------------------------------------------------------

def test_the_comparison_runs_a_fixed_number_of_queries(anonym, django_assert_num_queries):
    plan = WorkPlan.objects.get(year=2019)
    grow_activities(plan, 10, networks=False)
    small = count_queries(anonym, compare_url(2019, 2017))
    grow_activities(plan, 190, networks=False)
    assert count_queries(anonym, compare_url(2019, 2017)) == small
    # The content version (the validators); both plans (2); then per plan: chapters
    # with documents, areas, topics, topic networks, activities with goal and topic,
    # budget lines (6 each), and for 2019 its activities' municipalities, networks and
    # people (3; none for 2017, which has no activities, so no prefetch runs).
    cache.clear()  # the page above is in the anonymous page cache; build it anew
    freshness._recent.clear()
    with django_assert_num_queries(1 + 2 + 6 + 6 + 3):
        response = anonym.get(compare_url(2019, 2017))
        assert response.status_code == 200
