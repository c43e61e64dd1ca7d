"""A director reads the plan in a real browser; every page type passes axe-core (WCAG 2.1 AA)."""
import pytest

from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/", "/planer/", "/planer/2019/", "/planer/2019/handlingsplan/", "/program/", "/program/sup-2013/",
    "/program/sup-2040/", "/natverk/", "/natverk/klimatstrateger/", "/tillganglighet/", "/konto/logga-in/",
    "/dokument/", "/dokument/samarbetsavtal-2010/",
]


@pytest.fixture
def site(live_server):
    seed_load()
    return live_server.url


def test_a_director_navigates_from_the_start_page_to_the_plan_and_its_pdf(site, page):
    page.goto(site + "/")
    page.get_by_role("link", name="Alla verksamhetsplaner").click()
    page.get_by_role("link", name="Verksamhetsplan och budget 2019", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Verksamhetsplan och budget 2019"
    nav = page.get_by_role("navigation", name="Kapitel")
    nav.get_by_role("link", name="Bilaga 1 Handlingsplan").click()
    assert page.url.endswith("#bilaga-1-handlingsplan")
    assert page.locator("#bilaga-1-handlingsplan").is_visible()
    with page.expect_download() as download:
        page.evaluate("() => { const a = document.querySelector('a.button.primary'); a.setAttribute('download', ''); a.click(); }")
    assert download.value.suggested_filename == "verksamhetsplan-2019.pdf"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_has_no_accessibility_violations(site, page, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/planer/2017/", "/planer/2019/", "/kalender/2017/", "/budget/2017/avgifter/"])
def test_pages_read_well_on_a_phone(site, page, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    assert_no_axe_violations(page)


def test_the_decisions_page_has_no_accessibility_violations(site, page):
    from plans.models import WorkPlan
    from tests.factories import all_members_decided

    all_members_decided(WorkPlan.objects.get(year=2019))
    page.goto(site + "/planer/2019/beslut/")
    assert "8 av 8 kommuner har beslutat" in page.content()
    assert_no_axe_violations(page)
