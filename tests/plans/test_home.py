"""The start page: the latest plan, the programme that plan follows, its meetings, and a
decision status that makes sense for plans decided before the system."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from secretariat.selectors import home_page

pytestmark = pytest.mark.django_db


def test_the_start_page_shows_the_latest_plans_most_recent_meetings_when_none_are_coming(anonym, text_of):
    text = text_of(anonym.get("/"))
    assert "Verksamhetsplan och budget 2019" in text
    assert "Inga kommande möten är inlagda" not in text
    assert "Senaste mötena" in text
    assert "19 december 2019 : Samarbetskommitténs planeringskonferens (Haninge)" in text


def test_the_start_page_shows_the_plans_next_meetings_while_the_year_runs():
    page = home_page(AnonymousUser(), datetime.date(2019, 11, 1))
    assert page["current_plan"].year == 2019
    assert not page["events_are_past"]
    first = page["events"][0]
    assert first.start_date >= datetime.date(2019, 11, 1) or first.year == 2019
    assert [e.plan_id for e in page["events"]] == [page["current_plan"].pk] * len(page["events"])


def test_the_start_page_shows_the_programme_the_plan_follows_and_names_a_newer_one(anonym, text_of):
    text = text_of(anonym.get("/"))
    followed = text.index("Verksamhetsplanen 2019 följer Södertörns utvecklingsprogram 2013")
    newer = text.index("Ett nyare program finns: Södertörns utvecklingsprogram 2040 (2023–2026)")
    assert followed < newer


def test_a_plan_decided_before_the_system_has_no_internal_note_and_no_zero_of_eight(lasare, text_of):
    home = text_of(lasare.get("/"))
    plan = text_of(lasare.get("/planer/2019/"))
    for text in (home, plan):
        assert "saknas i källan" not in text
        assert "0 av 8 kommuner har beslutat" not in text
    assert "kommunernas beslut är inte registrerade i systemet" in plan


@pytest.mark.parametrize("url", ["/", "/planer/2019/", "/budget/2017/avgifter/", "/planer/2019/arsredovisning/"])
def test_downloads_say_ladda_ned(anonym, url):
    assert "Ladda ner" not in anonym.get(url).content.decode()
