"""Issue 10, found 4, in two real browsers: two members of the secretariat edit the
same chapter, one on the plan's page and one on the chapter's own page."""
import pytest
from playwright.sync_api import expect

from plans.models import Chapter, WorkPlan
from secretariat.services import work_plan_copy_to_year
from secretariat.seed import seed_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, url, username):
    page.goto(url + "/admin/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("kansli-lösen-123")
    page.get_by_role("button", name="Logga in").click()


def _open_inlines(page):
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


@pytest.fixture
def two_editors(live_server, page, browser, browser_context_args, django_user_model):
    seed_load()
    plan = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)
    for name in ("kansli", "kansli2"):
        django_user_model.objects.create_superuser(name, password="kansli-lösen-123")
    context = browser.new_context(**browser_context_args)
    other = context.new_page()
    _log_in(page, live_server.url, "kansli")
    _log_in(other, live_server.url, "kansli2")
    yield live_server.url, plan, page, other
    context.close()


def test_the_second_save_of_a_chapter_is_refused_and_keeps_what_was_typed(two_editors):
    url, plan, mine, theirs = two_editors
    chapter = plan.chapters.order_by("position").first()
    mine.goto(f"{url}/admin/plans/workplan/{plan.pk}/change/")
    theirs.goto(f"{url}/admin/plans/chapter/{chapter.pk}/change/")

    theirs.locator("#id_body").fill("Kollegans text i kapitlet.")
    theirs.locator('input[name="_save"]').click()
    expect(theirs.locator(".messagelist")).to_be_visible()

    _open_inlines(mine)
    mine.locator("#id_chapters-0-body").fill("Min text från plansidan.")
    mine.locator('input[name="_save"]').click()
    expect(mine.locator(".errorlist").first).to_contain_text("Någon annan har sparat kapitel")
    expect(mine.locator(".errorlist").first).to_contain_text("text ändrades av kansli2")
    _open_inlines(mine)
    expect(mine.locator("#id_chapters-0-body")).to_have_value("Min text från plansidan.")
    assert Chapter.objects.get(pk=chapter.pk).body == "Kollegans text i kapitlet."


def test_saving_the_plan_page_keeps_a_chapter_edited_meanwhile(two_editors):
    url, plan, mine, theirs = two_editors
    chapter = plan.chapters.order_by("position").first()
    mine.goto(f"{url}/admin/plans/workplan/{plan.pk}/change/")
    theirs.goto(f"{url}/admin/plans/chapter/{chapter.pk}/change/")

    theirs.locator("#id_body").fill("Kollegans text i kapitlet.")
    theirs.locator('input[name="_save"]').click()
    expect(theirs.locator(".messagelist")).to_be_visible()

    mine.locator("#id_subtitle").fill("Ny undertitel")
    mine.locator('input[name="_save"]').click()
    expect(mine.locator(".messagelist")).to_be_visible()
    assert WorkPlan.objects.get(pk=plan.pk).subtitle == "Ny undertitel"
    assert Chapter.objects.get(pk=chapter.pk).body == "Kollegans text i kapitlet."
