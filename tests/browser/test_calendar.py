"""The year's calendar in a real browser: month grid, list, and axe-core."""
import pytest

from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_year_2017_month_grid_and_list_are_accessible(page, live_server):
    # live_server runs in a transactional database that is emptied after each test.
    seed_load()
    page.goto(f"{live_server.url}/kalender/2017/")

    assert page.get_by_role("heading", level=1).inner_text() == "Kalender 2017"

    # The month grid: a table per month, named by its caption, weekdays as column headers;
    # a day with events links to them in the list.
    february = page.get_by_role("table", name="Februari 2017")
    assert february.get_by_role("columnheader", name="torsdag").count() == 1
    meeting = february.get_by_role("link", name="2 februari: Samarbetskommittén")
    assert meeting.is_visible() and meeting.locator("time").inner_text() == "2"
    august = page.get_by_role("table", name="Augusti 2017")
    for day in (16, 17):
        assert august.get_by_role("link", name=f"{day} augusti: Samarbetskommitténs planeringskonferens").is_visible()
    meeting.click()
    target = page.locator("tr:target")
    assert "2 februari" in target.inner_text() and "Haninge" in target.inner_text()

    # The list, grouped by month.
    listing = page.locator("section", has=page.get_by_role("heading", name="Möten och konferenser 2017"))
    assert listing.get_by_role("heading", level=3).all_inner_texts()[:3] == ["Januari", "Februari", "Mars"]
    row = listing.get_by_role("row").filter(has_text="2 februari")
    assert "Haninge" in row.inner_text() and "12.00–15.00" in row.inner_text()
    konferens = listing.get_by_role("row").filter(has_text="7 september")
    assert "Nykvarn och Södertälje" in konferens.inner_text()

    # Filtering by body keeps the grid and the list to that body.
    page.get_by_label("Organ").select_option("ledningsgruppen")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url("**/kalender/2017/?organ=ledningsgruppen**")
    assert listing.get_by_role("row").filter(has_text="2 februari").count() == 0
    assert listing.get_by_role("row").filter(has_text="20 januari").count() == 1
    page.goto(f"{live_server.url}/kalender/2017/")

    assert_no_axe_violations(page)


def test_event_page_and_calendar_page_are_accessible(page, live_server):
    seed_load()
    page.goto(f"{live_server.url}/kalender/2019/")
    page.get_by_role("link", name="Södertörns rådslag", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Södertörns rådslag"
    assert page.get_by_role("link", name="Lägg till i kalender").is_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/kalender/")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/kalender/rotation/")
    assert_no_axe_violations(page)
