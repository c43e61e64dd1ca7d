"""A director reads every public page on a phone (WCAG 1.4.10 Reflow, which axe does not test).

At 320 px no page scrolls sideways; at 320, 390 and 1280 px no word inside a table cell is
broken over two lines ("Nä r", "Hudding e"); on narrow screens data tables become stacked
rows with every cell labelled by its column; axe-core stays at 0 violations, including
"landmark-unique" (scroll regions on one page have different names).
"""
from pathlib import Path

import pytest

from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words (runs of two or more letters or digits) in table cells whose glyphs lie on more than
# one line: measured with a Range per word, so any CSS that breaks words is caught.
BROKEN_WORDS_JS = (Path(__file__).parent / "broken_words.js").read_text()


def public_pages() -> list[str]:
    from calendar_app.models import Event
    from plans.models import Document, Network, Programme

    event = Event.objects.filter(year=2017).order_by("start_date").first()
    return [
        "/", "/planer/", "/planer/2019/", "/planer/2017/", "/planer/2012/", "/planer/2010/",
        "/planer/2019/handlingsplan/", "/planer/2019/jamfor/2017/", "/planer/2019/arsredovisning/",
        "/planer/2019/beslut/", "/program/",
        *[f"/program/{slug}/" for slug in Programme.objects.values_list("slug", flat=True)],
        "/natverk/", *[f"/natverk/{slug}/" for slug in Network.objects.values_list("slug", flat=True)[:2]],
        "/kalender/", "/kalender/2017/", "/kalender/2012/", "/kalender/rotation/", event.get_absolute_url(),
        "/budget/", "/budget/2017/", "/budget/2019/", "/budget/2017/avgifter/",
        "/dokument/", *[d.get_absolute_url() for d in Document.objects.all()], "/tillganglighet/",
    ]


@pytest.fixture
def site(live_server):
    seed_load()
    # The decisions page is public once all eight kommunstyrelser have decided.
    from plans.models import WorkPlan
    from tests.factories import all_members_decided

    all_members_decided(WorkPlan.objects.get(year=2019))
    return live_server.url


def test_every_public_page_type_fits_a_phone_without_broken_words(site, page):
    """The three programmes, all documents and every other page type, at 320, 390 and 1280 px."""
    pages = public_pages()
    assert len(pages) >= 25
    failures = []
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            response = page.goto(site + path)
            assert response.status == 200, path
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            inner_width = page.evaluate("window.innerWidth")
            if scroll_width > inner_width:
                failures.append(f"{width} px {path}: scrollWidth {scroll_width} > {inner_width}")
            broken = page.evaluate(BROKEN_WORDS_JS, "main")
            if broken:
                failures.append(f"{width} px {path}: words broken in table cells: {broken[:5]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_action_plan_breaks_no_word_in_the_plan_and_on_its_own_page(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/planer/2019/", "/planer/2019/handlingsplan/"):
        page.goto(site + path)
        cells = page.locator("table.action-plan tbody td")
        assert cells.count() >= 32 * 6
        assert page.evaluate(BROKEN_WORDS_JS, "table.action-plan") == []


def test_on_a_phone_table_rows_are_stacked_and_every_cell_is_labelled(site, page):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(site + "/planer/2019/handlingsplan/")
    cell = page.locator("table.action-plan tbody td[data-label='Ansvarig']").first
    # A stacked cell takes the row's width instead of a letter per line, and says what it is.
    assert cell.bounding_box()["width"] > 300
    label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
    assert label == '"Ansvarig" ": "' or "Ansvarig" in label
    # The sort links stay visible.
    assert page.get_by_role("link", name="Aktivitet").is_visible()

    page.goto(site + "/kalender/2017/")
    for name in ("Plats", "Värdkommun"):
        boxes = [c.bounding_box() for c in page.locator(f"table.event-table td[data-label='{name}']:not(:empty)").all()]
        assert boxes, name
        assert min(box["width"] for box in boxes) > 100, name


@pytest.mark.parametrize("width", [320, 1280])
def test_the_goal_filter_of_the_action_plan_fits_the_screen(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/planer/2019/handlingsplan/")
    box = page.get_by_label("Mål").bounding_box()
    assert box["x"] + box["width"] <= width
    assert box["width"] < 1000


def test_at_1280_px_the_calendar_list_has_no_empty_columns(site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/kalender/2017/")
    widths = page.locator("table.event-table").first.locator("thead th").evaluate_all(
        "(ths) => ths.map((th) => th.getBoundingClientRect().width)"
    )
    assert len(widths) == 6 and min(widths) > 60


@pytest.mark.parametrize(
    "path", ["/planer/2019/", "/planer/2019/jamfor/2017/", "/planer/2019/arsredovisning/", "/kalender/2017/",
             "/kalender/rotation/", "/budget/2019/", "/budget/2017/avgifter/", "/planer/2019/handlingsplan/", "/"],
)
def test_pages_with_several_tables_pass_axe_on_a_phone(site, page, path):
    """WCAG 2.1 AA plus landmark-unique: each scroll region is named after its own table."""
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(site + path)
    labels = page.locator(".table-scroll[role=region]").evaluate_all("(els) => els.map((e) => e.getAttribute('aria-label'))")
    assert len(labels) == len(set(labels))
    assert_no_axe_violations(page)
