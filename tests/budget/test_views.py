"""The budget list, a year's budget and the fee page, as the personas see them."""
import pytest
from django.urls import reverse

from budget.models import Budget, BudgetLine, Population
from sodertorn.lock import lock_bypass
from plans.models import Programme, WorkPlan
from secretariat.services import work_plan_reopen

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def _text(response) -> str:
    return response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")


@pytest.fixture
def draft_budget(db):
    plan = WorkPlan.objects.create(year=2020, programme=Programme.objects.get(slug="sup-2013"), status="draft")
    budget = Budget.objects.create(year=2020, plan=plan, fee_rule="per_inhabitant", fee_per_inhabitant=4)
    BudgetLine.objects.create(budget=budget, kind="income", label="Avgifter från kommunerna", amount=2_000_000,
                              is_member_fees=True)
    return budget


def test_the_budget_list_shows_each_year_with_its_totals(anonym):
    text = _text(anonym.get(reverse("budget:budget_list")))
    for year, total in [(2019, "1 977 400 kr"), (2017, "945 000 kr"), (2012, "890 000 kr")]:
        assert f'href="/budget/{year}/"' in text
        assert total in text
    assert text.index("Budget 2019") < text.index("Budget 2017") < text.index("Budget 2012")


def test_budget_detail_url_is_the_models_absolute_url():
    assert Budget.objects.get(year=2017).get_absolute_url() == "/budget/2017/"


def test_the_2017_budget_shows_its_lines_totals_and_that_it_balances(anonym):
    text = _text(anonym.get("/budget/2017/"))
    assert "<h1>Budget 2017</h1>" in text
    assert "Avgifter från kommunerna" in text and "Personal" in text
    assert "<caption>Intäkter</caption>" in text and "<caption>Kostnader</caption>" in text
    assert "Budgeten är i balans" in text
    assert text.count("945 000 kr") >= 3
    assert 'href="/planer/2017/"' in text
    assert 'href="/budget/2017/avgifter/"' in text


def test_the_2019_budget_marks_approximate_amounts_and_prints_its_footnote(anonym):
    text = _text(anonym.get("/budget/2019/"))
    assert "ca 1 977 400 kr" in text
    assert "ca 1 476 600 kr" in text
    assert "70 000 kr" in text and "ca 70 000" not in text
    assert "Enligt invånarantal oktober 2018." in text
    assert "Ska uppdateras efter invånarantalet 2018-12-31." in text  # the budget's note


def test_the_2019_budget_is_compared_with_2017_in_kronor_and_per_cent(anonym):
    text = _text(anonym.get("/budget/2019/"))
    assert "Jämförelse med budget 2017" in text
    assert "Det finns ingen budget för 2018 i systemet" in text
    # Income: 945 000 → 1 977 400 is +1 032 400 kr, +109,2 %.
    assert "+1 032 400 kr" in text and "+109,2 %" in text


def test_the_2017_budget_is_compared_line_by_line_with_2012(anonym):
    text = _text(anonym.get("/budget/2017/"))
    assert "Jämförelse med budget 2012" in text
    assert "+171 000 kr" in text and "+23,6 %" in text  # Personal 724 000 → 895 000
    assert "+55 000 kr" in text and "+6,2 %" in text  # the totals 890 000 → 945 000
    assert "Utredningar, konsultstöd m.m." in text  # a 2012 line that 2017 does not have


def test_the_earliest_budget_says_there_is_nothing_to_compare_with(anonym):
    assert "Det finns ingen tidigare budget att jämföra med." in _text(anonym.get("/budget/2012/"))


def test_an_unbalanced_budget_says_by_how_much(anonym):
    with lock_bypass():  # an unbalanced decided budget, as the seed loader would register it
        BudgetLine.objects.create(budget=Budget.objects.get(year=2017), kind="cost", label="Konsulter", amount=12_000)
    text = _text(anonym.get("/budget/2017/"))
    assert "Budgeten är inte i balans" in text
    assert "kostnaderna (957 000 kr) är 12 000 kr större än intäkterna (945 000 kr)" in text


def test_a_year_without_a_budget_is_not_found(anonym):
    assert anonym.get("/budget/2015/").status_code == 404
    assert anonym.get("/budget/2015/avgifter/").status_code == 404


def test_the_budget_of_an_undecided_plan_is_hidden_from_the_public(anonym, draft_budget):
    assert anonym.get("/budget/2020/").status_code == 404
    assert anonym.get("/budget/2020/avgifter/").status_code == 404
    assert "/budget/2020/" not in _text(anonym.get("/budget/"))


def test_readers_and_the_secretariat_see_the_budget_of_a_draft_plan(lasare, draft_budget):
    assert lasare.get("/budget/2020/").status_code == 200
    assert "/budget/2020/" in _text(lasare.get("/budget/"))


def test_the_2017_fee_page_lists_every_member_with_population_share_and_fee(anonym):
    text = _text(anonym.get("/budget/2017/avgifter/"))
    assert "Folkmängd 31 december 2016" in text
    for name, slug, population, share, fee in [
        ("Huddinge", "huddinge", "107 538", "22,38", "211 525"),
        ("Nykvarn", "nykvarn", "10 424", "2,17", "20 504"),
        ("Södertälje", "sodertalje", "94 631", "19,70", "186 138"),
    ]:
        row = text[text.index(f">{name}</th>"):]
        row = row[: row.index("</tr>")]
        assert population in row and share in row and fee in row
        assert f'href="/budget/2017/avgifter/{slug}/pdf/"' in row
    assert "480 431" in text and "945 000" in text
    assert "exakt budgetens avgiftsintäkter" in text
    assert 'href="/budget/2017/avgifter/alla.zip"' in text


def test_the_2012_fee_page_names_the_missing_figures_and_shows_no_fee(anonym):
    text = _text(anonym.get("/budget/2012/avgifter/"))
    assert "Avgifter som inte kan beräknas" in text
    for name in ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"]:
        assert f"<li>{name}: folkmängd 31 december 2011</li>" in text
    assert text.count(">ej beräknad<") == 9  # eight rows and the sum: not a single fee
    assert "alla.zip" not in text
    assert "/pdf/" not in text


def test_the_2019_fee_page_names_31_december_2018_as_missing(anonym):
    text = _text(anonym.get("/budget/2019/avgifter/"))
    assert "4 kronor per invånare" in text
    assert "<li>Huddinge: folkmängd 31 december 2018</li>" in text


def test_a_partly_computable_year_offers_the_documents_it_can_and_says_which_are_missing(lasare, draft_budget):
    work_plan_reopen(plan=WorkPlan.objects.get(year=2017), reason="Avgifterna räknas om i testet.", user=None)
    Population.objects.filter(date="2016-12-31", municipality__slug="salem").delete()
    Budget.objects.filter(year=2017).update(fee_rule="per_inhabitant", fee_per_inhabitant=2)
    text = _text(lasare.get("/budget/2017/avgifter/"))
    assert "<li>Salem: folkmängd 31 december 2016</li>" in text
    assert "Ladda ned 7 beslutsunderlag (zip)" in text
    assert "215 076" in text  # Huddinge 107 538 × 2


def test_the_secretariat_is_told_how_to_add_missing_figures(sekretariat):
    assert "import_population" in _text(sekretariat.get("/budget/2012/avgifter/"))


def test_the_public_is_not_told_about_management_commands(anonym):
    assert "import_population" not in _text(anonym.get("/budget/2012/avgifter/"))


def test_only_csv_and_xlsx_are_offered_as_exports(anonym):
    assert anonym.get("/budget/2017/avgifter/?_export=json").status_code == 404
