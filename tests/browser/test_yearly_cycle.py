"""The 2018 cycle as a new secretariat user walks it in the admin (issue 11,
item 11): copy 2017 → 2018, the year's chairs, the meetings, the checklist,
"Lägg fram" and "Registrera beslut" with the warnings confirmed."""
import pytest
from playwright.sync_api import expect

from plans.models import PlanCheckConfirmation, WorkPlan
from secretariat.seed import seed_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHAIRS = [
    ("Samarbetskommittén", "Ordförande", "Meeri Wasberg, Haninge"),
    ("Samarbetskommittén", "Vice ordförande", "Daniel Dronjak, Huddinge"),
    ("Ledningsgruppen", "Ordförande", "Rickard Sundbom, Södertälje"),
    ("Ledningsgruppen", "Vice ordförande", "Mats Bergström, Salem"),
]


def test_the_2018_cycle_in_the_admin(live_server, page, django_user_model):
    seed_load()
    django_user_model.objects.create_superuser("kansli", password="kansli-lösen-123")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Användarnamn").fill("kansli")
    page.get_by_label("Lösenord").fill("kansli-lösen-123")
    page.get_by_role("button", name="Logga in").click()

    source = WorkPlan.objects.get(year=2017)
    page.goto(f"{live_server.url}/admin/plans/workplan/{source.pk}/change/")
    page.get_by_role("link", name="Skapa nästa års plan").click()
    page.get_by_role("button", name="Skapa nästa års plan").click()
    expect(page.locator(".messagelist").first).to_contain_text("Verksamhetsplan och budget 2018 skapades som utkast")
    plan = WorkPlan.objects.get(year=2018)

    # The copy message leads to the year's chairs; the membership is made on the way.
    page.locator(".messagelist").first.get_by_role("link", name="Fyll i årets ordförande").click()
    for body, role, person in CHAIRS:
        page.get_by_label("Organ").select_option(label=body)
        page.get_by_label("Uppdrag").select_option(label=role)
        page.get_by_label("Person").select_option(label=person)
        page.get_by_role("button", name="Spara").click()
        expect(page.locator(".messagelist").first).to_contain_text("är registrerat")
    expect(page.get_by_role("table", name="Ordförande och vice ordförande 2018")).not_to_contain_text("saknas")

    # The meeting pattern of 2017 fills in what 2018 still lacks.
    page.goto(f"{live_server.url}/admin/calendar_app/event/kopiera-monster/")
    page.get_by_label("Kopiera från år").fill("2017")
    page.get_by_role("button", name="Kopiera").click()
    expect(page.locator(".messagelist").first).to_contain_text("fanns redan 2018")

    page.goto(f"{live_server.url}/admin/plans/workplan/{plan.pk}/change/")
    checklist = page.locator(".plan-checklist")
    expect(checklist).to_contain_text("Kontroll före beslut")
    expect(checklist).not_to_contain_text("Fel som måste rättas")
    expect(checklist).to_contain_text("Varningar att bekräfta")

    page.get_by_role("link", name="Lägg fram för beslut").click()
    page.get_by_role("button", name="Lägg fram planen för beslut").click()
    expect(page.locator(".errornote")).to_contain_text("Kontrollen före beslut har varningar")
    page.get_by_label("Jag har läst varningarna i kontrollen och vill gå vidare").check()
    page.get_by_role("button", name="Lägg fram planen för beslut").click()
    expect(page.locator(".messagelist").first).to_contain_text("är lagd för beslut")

    page.get_by_role("link", name="Registrera beslut").click()
    page.get_by_label("Beslutsdatum").fill("2018-02-01")
    page.get_by_label("Paragraf/referens").fill("§ 3")
    page.get_by_label("Jag har läst varningarna i kontrollen och vill gå vidare").check()
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.locator(".messagelist").first).to_contain_text("är beslutad")

    plan.refresh_from_db()
    assert plan.status == WorkPlan.Status.DECIDED and plan.archives.count() == 1
    assert list(PlanCheckConfirmation.objects.filter(plan=plan).values_list("step", flat=True).order_by("step")) == [
        "decide", "propose"]
