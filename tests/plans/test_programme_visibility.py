"""Public programme and network pages count only the activities the visitor may
see (issue 11, item 10): activities of draft plans are neither listed nor counted."""
import re

import pytest
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Programme, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_only_programme():
    """SUP 2013 with the 2019 plan reopened as a draft: its activities are unpublished."""
    with lock_bypass():  # stands for reopening the decided seed plans
        WorkPlan.objects.filter(year__in=[2017, 2019]).update(status=WorkPlan.Status.DRAFT, decided_on=None)
    return Programme.objects.get(short_name="SUP 2013")


def activity_counts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"Aktiviteter \((\d+)\)", html)]


def test_anonymous_visitors_see_no_count_of_draft_activities(anonym, draft_only_programme):
    html = anonym.get(reverse("plans:programme_detail", args=[draft_only_programme.slug])).content.decode()
    assert activity_counts(html) == []
    assert "/handlingsplan/" not in html


def test_readers_of_drafts_see_the_activities_counted(lasare, draft_only_programme):
    html = lasare.get(reverse("plans:programme_detail", args=[draft_only_programme.slug])).content.decode()
    counts = activity_counts(html)
    assert counts and sum(counts) == len(re.findall(r'href="/planer/\d+/handlingsplan/"', html))


def test_a_network_page_says_so_when_no_visible_plan_names_it(anonym, draft_only_programme):
    from plans.models import Network

    network = Network.objects.filter(activities__plan__year=2019).distinct().first()
    with lock_bypass():
        WorkPlan.objects.update(status=WorkPlan.Status.DRAFT, decided_on=None)
    html = anonym.get(reverse("plans:network_detail", args=[network.slug])).content.decode()
    assert "Nätverket står inte som ansvarigt för någon aktivitet." in html
