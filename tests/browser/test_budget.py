"""The secretariat reads the budget and fetches the fee documents in a real browser;
the budget pages pass axe-core (WCAG 2.1 AA)."""
import io
import zipfile

import pytest

from secretariat.seed import seed_load
from tests.a11y import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    seed_load()  # transactional tests flush the database; loading is idempotent
    return live_server.url


@pytest.mark.parametrize("path", ["/budget/", "/budget/2017/", "/budget/2017/avgifter/", "/budget/2012/avgifter/",
                                  "/budget/2019/"])
def test_the_budget_pages_have_no_accessibility_violations(site, page, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert_no_axe_violations(page)


def test_the_secretariat_goes_from_the_budget_to_the_fees_and_downloads_all_eight(site, page):
    page.goto(site + "/budget/")
    page.get_by_role("link", name="Budget 2017", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Budget 2017"
    assert "Budgeten är i balans" in page.locator("main").inner_text()
    page.get_by_role("link", name="Avgifter per kommun 2017").click()
    table = page.get_by_role("table", name="Avgift per kommun 2017, folkmängd 31 december 2016")
    huddinge = table.get_by_role("row").filter(has_text="Huddinge")
    assert "211\u00a0525" in huddinge.inner_text()
    assert huddinge.get_by_role("link", name="PDF för Huddinge").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned alla 8 beslutsunderlag (zip)").click()
    assert download.value.suggested_filename == "avgiftsunderlag-2017.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 8
