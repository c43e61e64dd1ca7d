"""The årsredovisning: per goal what was done in the year, planned cost against
outcome, counts per status and the plan's budget — on its page and in its PDF."""
import io

import pypdf
import pytest
from django.urls import reverse

from plans.models import Activity, WorkPlan
from secretariat.services import work_plan_reopen
from secretariat.annual_report import annual_report_document
from tests.growth import count_queries, grow_activities

pytestmark = pytest.mark.django_db

Status = Activity.FollowUp
KINDS_GROUP = "Näringsliv och högskola – Stödja ett kunskapsintensivt näringsliv"


def report_url(year: int) -> str:
    return reverse("plans:annual_report", args=[year])


def pdf_url(year: int) -> str:
    return reverse("plans:annual_report_pdf", args=[year])


def follow_up(title: str, **fields) -> None:
    assert Activity.objects.filter(plan__year=2019, title=title).update(**fields) == 1


@pytest.fixture
def followed_up():
    """The secretariat has followed up five of 2019's 32 activities. The seed gives
    costs for two of them (Bisnode 120 000 kr, Företagsevent 100 000 kr)."""
    follow_up("Uppdatera gemensam Bisnode-analys av näringslivet på Södertörn", follow_up_status=Status.DONE,
              outcome="Analysen uppdaterades och presenterades vid Södertörns Rådslag.", actual_cost=135000)
    follow_up("Företagsevent vid Rådslag 2019", follow_up_status=Status.DONE,
              outcome="Ett hundratal företag deltog.", actual_cost=80000)
    follow_up("Tvär Södertörn", follow_up_status=Status.ONGOING, outcome="Bevakningen fortsätter 2020.")
    follow_up("Förstudie teknisk försörjning", follow_up_status=Status.POSTPONED)
    follow_up("Samarbete Almedalen", follow_up_status=Status.CANCELLED, actual_cost=5000)


def test_the_figures_and_totals_per_goal_and_overall(followed_up):
    document = annual_report_document(WorkPlan.objects.get(year=2019))
    totals = document["totals"]
    assert (totals.count, totals.done) == (32, 2)
    assert totals.planned == 220000  # 120 000 + 100 000, the only planned costs
    assert totals.actual == 220000  # 135 000 + 80 000 + 5 000
    # Only activities with both figures count: +15 000 − 20 000. Almedalen had no plan.
    assert totals.difference == -5000 and totals.difference_display == "−5\u00a0000\u00a0kr"
    group = next(g for g in document["groups"] if g.heading == KINDS_GROUP)
    assert (group.count, group.done, group.planned, group.actual, group.difference) == (4, 2, 220000, 215000, -5000)
    bisnode = next(r for r in group.rows if r.activity.title.startswith("Uppdatera gemensam Bisnode"))
    assert (bisnode.status, bisnode.difference_display) == ("Genomförd", "+15\u00a0000\u00a0kr")
    assert {c["status"]: c["count"] for c in document["status_counts"]} == {
        "Genomförd": 2, "Pågår": 1, "Senarelagd": 1, "Inställd": 1, "Ej uppföljd": 27,
    }
    assert document["followed_up"] == 5


def test_groups_follow_the_action_plan_by_goal(followed_up):
    groups = annual_report_document(WorkPlan.objects.get(year=2019))["groups"]
    assert groups[0].heading == "Infrastruktur – Utnyttja den nya infrastrukturen"
    assert sum(g.count for g in groups) == 32
    assert len({g.heading for g in groups}) == len(groups)


def test_the_page_shows_what_was_done(anonym, followed_up, text_of):
    response = anonym.get(report_url(2019))
    assert response.status_code == 200
    text = text_of(response)
    assert "Årsredovisning 2019" in text
    assert "2 av 32 aktiviteter genomförda." in text
    assert "Ingenting är uppföljt ännu" not in text
    assert ("Uppdatera gemensam Bisnode-analys av näringslivet på Södertörn Genomförd "
            "Analysen uppdaterades och presenterades vid Södertörns Rådslag. 120 000 kr 135 000 kr +15 000 kr") in text
    assert "Tvär Södertörn Pågår Bevakningen fortsätter 2020. – – –" in text
    assert "Förstudie teknisk försörjning Senarelagd" in text
    assert "Samarbete Almedalen Inställd – – 5 000 kr –" in text
    assert "Porten till Stockholm – Passage Södertälje kanal Ej uppföljd" in text
    assert f"{KINDS_GROUP} 2 av 4 aktiviteter genomförda." in text
    assert "Summa 220 000 kr 215 000 kr −5 000 kr" in text  # the group
    assert "Planerad kostnad Utfall Avvikelse 220 000 kr 220 000 kr −5 000 kr" in text  # overall
    assert "Genomförd 2 Pågår 1 Senarelagd 1 Inställd 1 Ej uppföljd 27 Summa 32" in text


def test_the_page_says_clearly_when_nothing_has_been_followed_up(anonym, text_of):
    text = text_of(anonym.get(report_url(2019)))
    assert "Ingenting är uppföljt ännu." in text
    assert "0 av 32 aktiviteter genomförda." in text
    assert "Ej uppföljd 32" in text


def test_the_plans_budget_lines_are_listed(anonym, text_of):
    text = text_of(anonym.get(report_url(2019)))
    assert "Budget 2019" in text
    assert "Personal (utvecklingsledare och administratör) ca 1 476 600 kr" in text
    assert "Möten/webb/utredningar/konsultstöd/resor m.m. ca 430 800 kr" in text
    assert "Summa 1 977 400 kr" in text


def test_a_plan_without_an_action_plan_says_so_and_still_lists_its_budget(anonym, text_of):
    text = text_of(anonym.get(report_url(2017)))
    assert "Verksamhetsplanen 2017 har ingen handlingsplan med aktiviteter att följa upp." in text
    assert "Personal 895 000 kr" in text


def test_an_outcome_typed_in_the_admin_is_escaped(anonym):
    follow_up("Tvär Södertörn", follow_up_status=Status.DONE, outcome="Klart <script>alert('x')</script>")
    page = anonym.get(report_url(2019)).content.decode()
    assert "<script>alert" not in page
    assert "Klart &lt;script&gt;" in page


# --- access -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [report_url(2019), pdf_url(2019)])
def test_a_draft_plans_report_is_not_found_for_anonymous_users(anonym, url):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Planen blir ett utkast igen.", user=None)
    assert anonym.get(url).status_code == 404


def test_readers_see_a_draft_plans_report(lasare):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2019), reason="Planen blir ett utkast igen.", user=None)
    assert lasare.get(report_url(2019)).status_code == 200


def test_a_year_without_a_plan_is_not_found(anonym):
    assert anonym.get(report_url(1999)).status_code == 404


# --- the PDF ------------------------------------------------------------------------------

def test_the_pdf_carries_the_figures_and_the_project_pdf_standards(anonym, followed_up, pdf_text_of):
    response = anonym.get(pdf_url(2019))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="arsredovisning-2019.pdf"'
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Årsredovisning 2019"
    assert reader.metadata.author == "Södertörnskommunernas samarbetskommitté"
    text = pdf_text_of(response.content)
    assert "Uppföljning av Verksamhetsplan och budget 2019" in text  # the cover
    assert "2 av 32 aktiviteter genomförda." in text
    assert "Analysen uppdaterades och presenterades vid Södertörns Rådslag." in text
    assert "120 000 kr 135 000 kr +15 000 kr" in text
    assert "220 000 kr 220 000 kr −5 000 kr" in text
    assert "ca 1 476 600 kr" in text
    assert f"Sida 2 av {len(reader.pages)}" in text  # page numbers; the cover has none
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()}
    assert "Open-Sans" in fonts


def test_the_pdf_follows_a_change_in_the_follow_up(anonym, pdf_text_of):
    """The PDF cache is keyed on the HTML, so a new outcome is never served stale."""
    assert "Analysen är klar." not in pdf_text_of(anonym.get(pdf_url(2019)).content)
    follow_up("Företagsevent vid Rådslag 2019", follow_up_status=Status.DONE, outcome="Analysen är klar.")
    assert "Analysen är klar." in pdf_text_of(anonym.get(pdf_url(2019)).content)


# --- queries ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, more", [(report_url(2019), 190), (pdf_url(2019), 40)])
def test_the_report_runs_a_fixed_number_of_queries(anonym, url, more):
    plan = WorkPlan.objects.get(year=2019)
    grow_activities(plan, 10, networks=False, follow_up=True)
    small = count_queries(anonym, url)
    grow_activities(plan, more, networks=False, follow_up=True)
    assert count_queries(anonym, url) == small


def test_the_report_stays_within_its_query_budget(anonym, django_assert_num_queries):
    grow_activities(WorkPlan.objects.get(year=2019), 100, networks=False, follow_up=True)
    # 0 the content version (validators), 1 the plan, 2 the activities with goal,
    # goal's parents and topic, 3-5 their municipalities, networks, people, 6 the
    # budget, 7 its lines, 8 the year's decisions (meeting paragraphs); their uppdrag
    # would be one more, but the seeded 2019 decisions have none.
    with django_assert_num_queries(1 + 8):
        response = anonym.get(report_url(2019))
        assert response.status_code == 200


def test_the_annual_report_sets_budget_against_outcome(anonym):
    from budget.models import BudgetLine

    lines = BudgetLine.objects.filter(budget__year=2019)
    staff = lines.get(kind="cost", label__startswith="Personal")
    staff.actual_amount = 1_500_000
    staff.save()
    page = anonym.get(reverse("plans:annual_report", args=[2019])).content.decode().replace("\xa0", " ")
    assert "Budget och utfall 2019" in page
    assert "1 500 000 kr" in page and "+23 400 kr" in page
    assert "ej inlagt" in page  # the other lines have no outcome yet


def test_the_annual_report_says_when_no_outcome_is_entered(anonym):
    page = anonym.get(reverse("plans:annual_report", args=[2019])).content.decode()
    assert "Utfallet för budgetåret 2019 är inte inlagt ännu." in page
