"""/kalender/<år>/: the year as a list grouped by month and as month grids."""
import re

import pytest
from django.urls import reverse

from .conftest import seeded

pytestmark = pytest.mark.django_db


def _year(client, year, **params):
    response = client.get(reverse("calendar_app:year", args=[year]), params)
    assert response.status_code == 200
    return response


def _row(html: str, date_text: str) -> str:
    """The list row (<tr>) whose date cell reads `date_text`."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S):
        if re.search(rf'<td class="when"[^>]*>(<time[^>]*>)?{re.escape(date_text)}(</time>)?</td>', row):
            return row
    raise AssertionError(f"no row for {date_text}")


def _listing(html: str) -> str:
    """The list section of the year page (after the month grids)."""
    return html.split('id="lista"')[1].split("</section>")[0]


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h3>{heading}</h3>")
    end = html.find("<h3>", start + 1)
    return html[start:end if end != -1 else len(html)]


def test_2017_lists_the_committee_meetings_with_dates_times_and_places(anonym):
    html = _year(anonym, 2017).content.decode()
    for date_text, place in [("2 februari", "Haninge"), ("23 mars", "Nykvarn"), ("1 juni", "Salem"),
                             ("14 september", "Botkyrka"), ("26 oktober", "Tyresö"), ("7 december", "Södertälje")]:
        row = _row(html, date_text)
        assert "Samarbetskommittén" in row and place in row and "12.00–15.00" in row


def test_2017_lists_conferences_with_their_hosts(anonym):
    html = _year(anonym, 2017).content.decode()
    konferens = _row(html, "7 september")
    assert "Södertörnskonferensen" in konferens
    assert "Nykvarn och Södertälje" in konferens
    assert "Nykvarn" in _row(html, "30 mars") and "Södertörns rådslag" in _row(html, "30 mars")
    planning = _row(html, "16–17 augusti")
    assert "Samarbetskommitténs planeringskonferens" in planning and "Nynäshamn" in planning


def test_2017_groups_the_list_by_month(anonym):
    html = _year(anonym, 2017).content.decode()
    februari = _section(html, "Februari")
    assert "2 februari" in februari and "24 februari" in februari
    assert "23 mars" not in februari
    months = re.findall(r"<h3>(\w+)</h3>", html)
    assert months == ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Augusti", "September",
                      "Oktober", "November", "December"]


def test_2010_shows_the_tuesday_meeting_with_its_note(anonym):
    html = _year(anonym, 2010).content.decode()
    row = _row(html, "19 oktober")
    assert "Tyresö" in row and "obs tisdag!" in row
    assert "Stockholm" in _row(html, "26 januari")
    assert "heldag" in _row(html, "14 januari") and "Botkyrka" in _row(html, "14 januari")
    assert "08.30–13.00" in _row(html, "15 januari")
    assert "lunch till lunch" in _row(html, "12–13 augusti")


def test_2012_shows_meetings_and_the_conference_hosts(anonym):
    html = _year(anonym, 2012).content.decode()
    assert "Södertälje" in _row(html, "27 januari")
    assert "Nykvarn och Södertälje" in _row(html, "13 september")
    assert "Nynäshamn" in _row(html, "20 mars")
    assert "Ledningsgruppens planeringskonferens" in _row(html, "29–30 mars")


def test_2019_shows_the_radslag_in_salem_and_the_new_meeting_hours(anonym):
    html = _year(anonym, 2019).content.decode()
    radslag = _row(html, "10 april")
    assert "Södertörns rådslag" in radslag and "Salem" in radslag
    assert "12.00–15.30" in _row(html, "7 februari") and "Nykvarn" in _row(html, "7 februari")
    assert "StorSthlm" in _row(html, "25 januari") and "08.30–11.00" in _row(html, "25 januari")
    assert "Haninge och Nynäshamn" in _row(html, "25 september")


def _grid_cell(html: str, day: str) -> str:
    grids = html.split('id="manader"')[1].split("</section>")[0]
    start = grids.rindex("<td", 0, grids.index(f'datetime="{day}"'))
    return grids[start:grids.index("</td>", start)]


def test_month_grid_is_an_accessible_table_per_month(anonym):
    html = _year(anonym, 2017).content.decode()
    assert html.count('<table class="month-grid">') == 12
    assert "<caption>Februari 2017</caption>" in html
    grid = html[html.index("<caption>Februari 2017</caption>"):]
    grid = grid[:grid.index("</table>")]
    assert '<th scope="col"><span aria-hidden="true">tor</span><span class="visually-hidden">torsdag</span></th>' in grid
    assert '<th scope="row">5</th>' in grid  # 2 February 2017 is in ISO week 5


def test_a_day_with_a_meeting_links_to_it_in_the_list(anonym):
    html = _year(anonym, 2017).content.decode()
    meeting = seeded("samarbetskommitten", "2017-02-02")
    cell = _grid_cell(html, "2017-02-02")
    assert f'href="#e-{meeting.uid}"' in cell
    assert "februari: Samarbetskommittén" in cell
    assert "kind-meeting" in cell
    assert f'<tr id="e-{meeting.uid}">' in html
    assert "has-events" not in _grid_cell(html, "2017-02-03")


def test_month_grid_marks_every_day_of_a_planning_conference(anonym):
    html = _year(anonym, 2017).content.decode()
    for day in ("2017-08-16", "2017-08-17"):
        cell = _grid_cell(html, day)
        assert "Samarbetskommitténs planeringskonferens" in cell and "kind-planning" in cell


def test_a_day_with_two_events_names_both(anonym, make_event):
    make_event(body="ledningsgruppen", day="2017-02-02", start="08:30", finish="11:00")
    cell = _grid_cell(_year(anonym, 2017).content.decode(), "2017-02-02")
    assert "Ledningsgruppen och Samarbetskommittén" in cell


def test_filter_by_body_shows_only_its_events(anonym):
    html = _year(anonym, 2017, organ="ledningsgruppen").content.decode()
    assert "20 januari" in html and "Ledningsgruppen" in html
    assert "Haninge" not in _listing(html)
    assert "Södertörnskonferensen</a>" not in html


def test_filter_by_series_shows_only_its_events(anonym):
    html = _year(anonym, 2017, serie="sodertorns-radslag").content.decode()
    listing = _listing(html)
    assert "30 mars" in listing
    assert "2 februari" not in listing
    assert 'href="/kalender/sodertorns-radslag.ics"' in html


def test_an_unknown_filter_value_shows_the_whole_year(anonym):
    html = _year(anonym, 2017, organ="finns-inte").content.decode()
    assert "2 februari" in html


def test_imprecise_dates_are_shown_as_written_never_as_the_first_of_the_month(anonym):
    html = _year(anonym, 2018).content.decode()
    assert "Huddinge" in _row(html, "Januari")
    listing = _listing(html)
    assert "1 januari" not in listing and "2018-01-01" not in listing
    assert "3 händelser har ännu inget exakt datum" in html
    assert "inte i månadsöversikten eller i kalenderfilerna" in html


def test_a_season_is_listed_under_its_own_heading_after_the_dated_events(anonym):
    html = _year(anonym, 2019).content.decode()
    headings = re.findall(r"<h3>(\w+)</h3>", html)
    assert headings.index("Hösten") == headings.index("Oktober") + 1
    assert "Nyckeltalsdagen" in _section(html, "Hösten")


def test_an_unset_date_is_listed_last(anonym):
    html = _year(anonym, 2012).content.decode()
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    assert headings[-1] == "Utan fastställt datum"
    assert "Nyckeltal Södertörn" in _section(html, "Utan fastställt datum")
    assert "Datum fastställs senare" in _section(html, "Utan fastställt datum")


def test_a_month_only_date_sorts_after_the_dated_events_of_its_month(anonym, make_event):
    make_event(body="samarbetskommitten", day="2012-10-25", place="tyreso")
    html = _year(anonym, 2012).content.decode()
    october = _section(html, "Oktober")
    assert october.index("25 oktober") < october.index("Oktober</td>")


def test_years_link_to_the_nearest_years_with_events(anonym):
    html = _year(anonym, 2017).content.decode()
    assert '<a href="/kalender/2018/" rel="next">' in html
    assert '<a href="/kalender/2013/" rel="prev">' in html  # VP 2012 has meetings in 2013; 2014–2016 none


def test_an_empty_year_says_so(anonym):
    html = _year(anonym, 2030).content.decode()
    assert "Inga möten eller konferenser är inlagda för 2030." in html


def test_a_year_far_outside_the_calendar_is_not_found(anonym):
    assert anonym.get(reverse("calendar_app:year", args=[1999])).status_code == 404
    assert anonym.get(reverse("calendar_app:year", args=[2999])).status_code == 404


def test_the_public_does_not_see_the_warnings(anonym):
    assert "Att kontrollera" not in _year(anonym, 2010).content.decode()


def test_warnings_are_shown_to_the_secretariat(sekretariat):
    html = _year(sekretariat, 2010).content.decode()
    assert "Att kontrollera 2010" in html
    assert "Samarbetskommitténs möte 19 oktober 2010 är en tisdag" in html


def test_a_reader_does_not_see_the_warnings(lasare):
    assert "Att kontrollera" not in _year(lasare, 2010).content.decode()


def test_preliminary_events_are_hidden_from_the_public(anonym, make_event):
    make_event(body="ledningsgruppen", day="2031-03-07", start="08:30", finish="13:00", preliminary=True)
    html = _year(anonym, 2031).content.decode()
    assert "7 mars" not in html


def test_preliminary_events_are_shown_and_marked_to_the_secretariat(sekretariat, make_event):
    make_event(body="ledningsgruppen", day="2031-03-07", start="08:30", finish="13:00", preliminary=True)
    html = _year(sekretariat, 2031).content.decode()
    assert "Preliminär" in _row(html, "7 mars")
