"""Each seeded plan, on the web and in the PDF, holds the facts of its source document.

The same context builder feeds both, so each fact is checked in both outputs."""
import pytest
from django.urls import reverse

from calendar_app.models import Event, HostRotation
from plans.models import Chairmanship, WorkPlan
from sodertorn.templatetags.sodertorn import kr

from .conftest import normalise

pytestmark = pytest.mark.django_db
YEARS = [2010, 2012, 2017, 2019]


def plan_facts(plan: WorkPlan) -> list[str]:
    """Every fact the rendered plan must show: headings, calendar, budget, chairs, hosts."""
    facts = [c.heading for c in plan.chapters.all()]
    for event in Event.objects.filter(plan=plan):
        facts.append(event.date_display())
        if event.place_id:
            facts.append(event.place.name)
    budget = getattr(plan, "budget", None)
    if budget:
        facts += [normalise(kr(line.amount)) for line in budget.lines.all()]
        facts += [line.label for line in budget.lines.all()]
    facts += [c.person.name for c in Chairmanship.objects.filter(year=plan.year)]
    for slug, (first, last) in plan.rotation_years.items():  # the rotation the plan printed
        for rotation in HostRotation.objects.filter(series__slug=slug, year__gte=first, year__lte=last):
            facts.append(f"{rotation.year} " + " och ".join(m.name for m in rotation.hosts.all()))
    return [normalise(f) for f in facts]


@pytest.fixture(params=YEARS)
def plan(request):
    return WorkPlan.objects.get(year=request.param)


def test_the_plan_page_shows_every_fact_of_the_plan(anonym, plan, text_of):
    response = anonym.get(reverse("plans:work_plan_detail", args=[plan.year]))
    assert response.status_code == 200
    text = text_of(response).lower()
    missing = [fact for fact in plan_facts(plan) if fact.lower() not in text]
    assert not missing


def test_the_pdf_shows_every_fact_of_the_plan(anonym, plan, pdf_text_of):
    response = anonym.get(reverse("plans:work_plan_pdf", args=[plan.year]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="verksamhetsplan-{plan.year}.pdf"' in response["Content-Disposition"]
    text = pdf_text_of(response.content).lower()
    missing = [fact for fact in plan_facts(plan) if fact.lower() not in text]
    assert not missing


@pytest.mark.parametrize("year, facts", [
    (2010, ["427 000 invånare", "Vision 2020", "19 oktober", "obs tisdag!", "14 januari", "2010 Huddinge"]),
    (2012, ["450 000 invånare", "Vision 2025", "22–23 augusti", "890 000 kr", "724 000 kr", "116 000 kr", "2019 Salem"]),
    (2017, ["480 000 invånare", "2 februari", "Haninge", "16–17 augusti", "945 000 kr", "895 000 kr", "2024 Haninge"]),
    (2019, ["Meeri Wasberg", "Daniel Dronjak", "Rickard Sundbom", "Mats Bergström", "10 april", "StorSthlm",
            "1 977 400 kr", "1 476 600 kr", "430 800 kr", "2022 Nykvarn och Södertälje", "2026 Huddinge",
            "Bilaga 1 Handlingsplan", "Bilaga 2 Samarbetskommitténs samarbetsavtal", "§ 8 Avgift"]),
])
def test_seed_facts_read_from_the_source_documents(anonym, text_of, pdf_text_of, year, facts):
    page = text_of(anonym.get(reverse("plans:work_plan_detail", args=[year])))
    pdf = pdf_text_of(anonym.get(reverse("plans:work_plan_pdf", args=[year])).content)
    assert [f for f in facts if f not in page] == []
    assert [f for f in facts if f not in pdf] == []


def test_chapters_come_in_the_order_of_the_source_document(anonym, text_of):
    text = text_of(anonym.get(reverse("plans:work_plan_detail", args=[2017])))
    # The last occurrence of each heading is the chapter itself (the first is the navigation).
    positions = [text.rindex(h) for h in [
        "1. Inledning", "2. Syfte", "3. Förhållningssätt", "4. Vision 2025",
        "5. Samverkansområden och inriktning 2017", "6. Arbetsformer", "7. Kalendarium", "8. Budget 2017"]]
    assert positions == sorted(positions)


def test_the_plan_page_has_a_chapter_navigation(anonym):
    plan = WorkPlan.objects.get(year=2019)
    html = anonym.get(plan.get_absolute_url()).content.decode()
    assert 'aria-label="Kapitel"' in html
    for chapter in plan.chapters.all():
        assert f'href="#{chapter.anchor}"' in html
        assert f'id="{chapter.anchor}"' in html
