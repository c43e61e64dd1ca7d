"""Query counts stay the same however many lines a budget has."""
import pytest
from django.urls import reverse

from budget.models import Budget, BudgetLine
from budget.selectors import budget_summary, fee_document
from sodertorn.lock import lock_bypass

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_lines():
    budget = Budget.objects.get(year=2017)
    with lock_bypass():  # a large decided budget, as the seed loader would register it
        BudgetLine.objects.bulk_create(
            BudgetLine(budget=budget, kind=kind, position=10 + i, label=f"Post {i}", amount=1000, note=f"Not {i}")
            for i in range(40) for kind in ("income", "cost")
        )
    return budget


@pytest.mark.parametrize("grow", [False, True])
def test_budget_summary_is_one_query(django_assert_num_queries, grow, request):
    budget = request.getfixturevalue("many_lines") if grow else Budget.objects.get(year=2017)
    with django_assert_num_queries(1):  # the lines
        budget_summary(budget)


@pytest.mark.parametrize("grow", [False, True])
def test_fee_document_is_five_queries(django_assert_num_queries, grow, request):
    if grow:
        request.getfixturevalue("many_lines")
    budget = Budget.objects.select_related("plan").get(year=2017)
    # 2017 is decided: 1 its frozen fees, 2 their rows, 3 the budget's lines,
    # 4 the municipalities' diarienummer for the plan
    with django_assert_num_queries(4):
        fee_document(budget)
    # computed live: 1 member-fee income, 2 members, 3 their populations, 4 lines, 5 diarienummer
    with django_assert_num_queries(5):
        fee_document(budget, live=True)


@pytest.mark.parametrize("grow", [False, True])
def test_the_budget_page_runs_a_fixed_number_of_queries(anonym, django_assert_num_queries, grow, request):
    if grow:
        request.getfixturevalue("many_lines")
    # 0 the content version, 1 the budget with its plan, 2 its lines, 3 the members,
    # 4 their population figures (the fee line against the fees), 5 the previous
    # budget, 6 its lines
    with django_assert_num_queries(1 + 6):
        assert anonym.get(reverse("budget:budget_detail", args=[2017])).status_code == 200


@pytest.mark.parametrize("grow", [False, True])
def test_the_fee_page_runs_a_fixed_number_of_queries(anonym, django_assert_num_queries, grow, request):
    if grow:
        request.getfixturevalue("many_lines")
    # 0 the content version, 1 the budget with its plan, then fee_document's four for
    # a decided budget: 2 its frozen fees, 3 their rows, 4 the municipalities'
    # diarienummer, 5 the lines
    with django_assert_num_queries(1 + 5):
        assert anonym.get(reverse("budget:fee_table", args=[2017])).status_code == 200


def test_the_budget_list_is_one_query(anonym, django_assert_num_queries, many_lines):
    with django_assert_num_queries(1 + 1):  # the content version; the budgets with their plans and totals
        assert anonym.get(reverse("budget:budget_list")).status_code == 200


def test_the_fee_pdf_runs_a_fixed_number_of_queries(anonym, django_assert_num_queries, many_lines):
    # 0 the content version, 1 the budget, 2 the municipality, then fee_document's
    # four for a decided budget (3 frozen fees, 4 their rows, 5 diarienummer, 6 lines),
    # 7 the archived PDF of the municipality's row (none for 2017)
    with django_assert_num_queries(1 + 7):
        assert anonym.get("/budget/2017/avgifter/huddinge/pdf/").status_code == 200


@pytest.mark.parametrize("size", [0, 40])
@pytest.mark.parametrize("url, queries", [
    # the content version, then the budget with its plan, its lines, the frozen fees
    # of a decided budget (FeeArchive, fee_archive_for), the member municipalities and
    # their populations for the fee shares, the previous budget, its lines
    ("/budget/2019/", 1 + 7),
    # the content version, then the budget with its plan, the frozen fees (FeeArchive,
    # fee_archive_for) and fee_document's five (member-fee sum, members, populations,
    # the municipalities' decisions, lines)
    ("/budget/2019/avgifter/", 1 + 7),
])
def test_budget_pages_do_not_grow_with_anything(anonym, django_assert_num_queries, url, queries, size, many_lines):
    """Lines, goals, networks, activities and events all grow (tests/growth.py)."""
    from plans.models import WorkPlan
    from tests.growth import grow_everything

    grow_everything(WorkPlan.objects.get(year=2019), size)
    with django_assert_num_queries(queries):
        response = anonym.get(url)
    assert response.status_code == 200
