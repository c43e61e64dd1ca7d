"""The covers of the plan and annual report PDFs list the member municipalities
from the data, in Swedish order, not from a list written into the template."""
import re

import pytest

from plans.models import Municipality, WorkPlan
from secretariat.annual_report import annual_report_document
from secretariat.selectors import work_plan_document
from secretariat.services import work_plan_copy_to_year
from sodertorn.pdf import render_html

pytestmark = pytest.mark.django_db

COVER_MEMBERS = re.compile(r'<p class="members">([^<]*)</p>')


def _cover_members(template, document) -> list[str]:
    return COVER_MEMBERS.search(render_html(template, document))[1].split(" · ")


MEMBERS = ["Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö"]
BUILDERS = [
    ("plans/pdf/work_plan.html", work_plan_document),
    ("plans/pdf/annual_report.html", annual_report_document),
]


@pytest.mark.parametrize("template, build", BUILDERS)
def test_the_cover_lists_the_member_municipalities_from_the_data(template, build):
    plan = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)  # a draft
    assert _cover_members(template, build(plan)) == MEMBERS
    Municipality.objects.filter(name="Salem").update(is_member=False)
    Municipality.objects.create(name="Testkommun Ö", slug="testkommun-o", is_member=True)
    assert _cover_members(template, build(plan)) == [
        "Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Södertälje", "Testkommun Ö", "Tyresö",
    ]


@pytest.mark.parametrize("template, build", BUILDERS)
def test_a_decided_plans_cover_keeps_the_members_and_names_it_printed(template, build):
    """Issue 20: the members a decided plan printed (WorkPlan.printed_names), in Swedish order."""
    plan = WorkPlan.objects.get(year=2017)
    Municipality.objects.filter(name="Salem").update(is_member=False)
    Municipality.objects.filter(name="Haninge").update(name="Haninge stad")
    Municipality.objects.create(name="Testkommun Ö", slug="testkommun-o", is_member=True)
    assert _cover_members(template, build(plan)) == MEMBERS
