"""A director reads what changed since the last plan and the year's årsredovisning in a
real browser; both pages pass axe-core (WCAG 2.1 AA)."""
import pytest

from plans.models import Activity
from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    seed_load()  # transactional tests flush the database; loading is idempotent
    return live_server.url


@pytest.fixture
def followed_up(site):
    Activity.objects.filter(plan__year=2019, title="Företagsevent vid Rådslag 2019").update(
        follow_up_status=Activity.FollowUp.DONE, outcome="Ett hundratal företag deltog.", actual_cost=80000,
    )
    Activity.objects.filter(plan__year=2019, title="Tvär Södertörn").update(
        follow_up_status=Activity.FollowUp.ONGOING, outcome="Bevakningen fortsätter.",
    )
    return site


@pytest.mark.parametrize("path", [
    "/planer/2019/jamfor/2017/", "/planer/2017/jamfor/2012/", "/planer/2019/arsredovisning/",
    "/planer/2017/arsredovisning/",
])
def test_the_report_pages_have_no_accessibility_violations(site, page, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert_no_axe_violations(page)


def test_a_followed_up_report_has_no_accessibility_violations(followed_up, page):
    page.goto(followed_up + "/planer/2019/arsredovisning/")
    assert "1 av 32 aktiviteter genomförda." in page.locator("main").inner_text()
    row = page.get_by_role("row").filter(has_text="Företagsevent vid Rådslag 2019")
    assert "Genomförd" in row.inner_text() and "80\u00a0000\u00a0kr" in row.inner_text()
    assert_no_axe_violations(page)


def test_changes_are_marked_by_more_than_colour(site, page):
    page.goto(site + "/planer/2019/jamfor/2017/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vad har ändrats i verksamhetsplanen 2019")
    chapter = page.locator("section.chapter-change").filter(has=page.get_by_role("heading", name="2. Förhållningssätt"))
    inserted, deleted = chapter.locator("ins").first, chapter.locator("del").first
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    # Screen readers hear what the mark means; sighted readers do not see the words.
    assert inserted.text_content() == "tillagt: nyttan."
    box = inserted.locator(".visually-hidden").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1
    assert deleted.text_content() == "borttaget: nyttan"


def test_a_comparison_asked_backwards_lands_on_the_later_plan(site, page):
    page.goto(site + "/planer/2017/jamfor/2019/")
    assert page.url.endswith("/planer/2019/jamfor/2017/")


@pytest.mark.parametrize("path", ["/planer/2019/jamfor/2017/", "/planer/2019/arsredovisning/"])
def test_the_reports_read_well_on_a_phone(site, page, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
