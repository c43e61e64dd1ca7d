"""Issue 10, found 3: the fees of a decided plan are frozen with the decision, and a
plan decided in the system serves each member's fee document byte for byte."""
import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from budget.models import Budget, FeeArchive, FeeArchiveRow, Population
from budget.schedules import fees_for_budget
from plans.models import Body, WorkPlan
from secretariat.services import work_plan_copy_to_year, work_plan_decide, work_plan_propose, work_plan_reopen

from tests.plans.conftest import page_text, pdf_text
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db

FEE_PAGE_2017 = "/budget/2017/avgifter/"


def _fees(year) -> dict:
    schedule = fees_for_budget(Budget.objects.select_related("plan").get(year=year))
    return {row.municipality.name: (row.inhabitants, row.share_percent, row.fee) for row in schedule.rows}


def _replace_2016_figures(tmp_path):
    """import_population --replace with every 2016-12-31 figure one hundred higher."""
    lines = ["kommunkod,kommun,datum,folkmangd,kalla"]
    for figure in Population.objects.filter(date=datetime.date(2016, 12, 31)).select_related("municipality"):
        lines.append(f"{figure.municipality.code},{figure.municipality.name},2016-12-31,{figure.inhabitants + 100},"
                     "SCB (rättad)")
    path = tmp_path / "rattad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import_population", str(path), "--replace")


def test_the_seeded_2017_fees_do_not_move_when_the_population_is_replaced(tmp_path, anonym):
    """The 2017 plan was decided before the system: its fees were frozen when the
    seed registered it, as the seed's population figures give them."""
    before, page_before = _fees(2017), page_text(anonym.get(FEE_PAGE_2017))
    _replace_2016_figures(tmp_path)
    assert Population.objects.filter(date=datetime.date(2016, 12, 31), source_text="SCB (rättad)").count() == 8
    assert _fees(2017) == before
    assert page_text(anonym.get(FEE_PAGE_2017)) == page_before
    # The live computation does see the corrected figures: the freeze is what holds.
    live = fees_for_budget(Budget.objects.get(year=2017), live=True)
    assert {r.municipality.name: r.inhabitants for r in live.rows} != {k: v[0] for k, v in before.items()}


def test_a_deleted_population_figure_leaves_the_2017_fee_document(anonym):
    Population.objects.filter(municipality__slug="salem", date=datetime.date(2016, 12, 31)).delete()
    response = anonym.get("/budget/2017/avgifter/salem/pdf/")
    assert response.status_code == 200
    assert "Salem" in pdf_text(response.content)
    assert anonym.get("/budget/2017/avgifter/alla.zip").status_code == 200


@pytest.fixture
def decided_2020(db):
    plan = plan_make_ready(work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020))
    work_plan_propose(plan=plan, user=None, confirm_warnings=True)
    work_plan_decide(plan=plan, user=None, confirm_warnings=True,
                     decided_on=datetime.date(2020, 2, 6),
                     decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 5",
                     base_url="https://sodertorn.example.se/")
    return plan


def test_the_decision_archives_each_members_fee_document_with_its_sha256(decided_2020, anonym):
    archive = FeeArchive.objects.get(budget__plan=decided_2020)
    rows = list(archive.rows.select_related("municipality"))
    assert len(rows) == 8 and all(r.fee and r.inhabitants for r in rows)
    for row in rows:
        assert hashlib.sha256(bytes(row.pdf)).hexdigest() == row.sha256
    huddinge = next(r for r in rows if r.municipality.slug == "huddinge")
    response = anonym.get("/budget/2020/avgifter/huddinge/pdf/")
    assert response.status_code == 200
    assert response.content == bytes(huddinge.pdf)
    assert response["X-Archive-SHA256"] == huddinge.sha256


def test_population_corrections_after_the_decision_change_no_fee_document(decided_2020, anonym):
    budget = Budget.objects.get(plan=decided_2020)
    reference = budget.reference_date
    page = page_text(anonym.get("/budget/2020/avgifter/"))
    pdf = anonym.get("/budget/2020/avgifter/huddinge/pdf/").content
    Population.objects.filter(date=reference).update(inhabitants=1000)
    Population.objects.filter(date=reference, municipality__slug="huddinge").delete()
    assert page_text(anonym.get("/budget/2020/avgifter/")) == page
    response = anonym.get("/budget/2020/avgifter/huddinge/pdf/")
    assert response.status_code == 200 and response.content == pdf


def test_reopening_computes_the_fees_anew_and_a_new_decision_freezes_them_again(decided_2020):
    budget = Budget.objects.get(plan=decided_2020)
    Population.objects.filter(date=budget.reference_date, municipality__slug="salem").update(inhabitants=20_000)
    frozen = _fees(2020)
    work_plan_reopen(plan=decided_2020, reason="Folkmängden för Salem var fel.", user=None)
    assert _fees(2020)["Salem"][0] == 20_000 != frozen["Salem"][0]
    plan_make_ready(decided_2020)  # the fee line follows the new figures, or the checklist refuses
    work_plan_propose(plan=decided_2020, user=None, confirm_warnings=True)
    work_plan_decide(plan=decided_2020, user=None, confirm_warnings=True,
                     decided_on=datetime.date(2020, 3, 5),
                     decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 9")
    assert _fees(2020)["Salem"][0] == 20_000
    assert FeeArchive.objects.filter(budget=budget).count() == 2  # the first stays on record


def test_frozen_fees_are_never_deleted(decided_2020):
    with pytest.raises(ValidationError, match="raderas aldrig"):
        FeeArchive.objects.all().delete()
    with pytest.raises(ValidationError, match="raderas aldrig"):
        FeeArchiveRow.objects.all().delete()
    assert FeeArchiveRow.objects.filter(archive__budget__plan=decided_2020).count() == 8
