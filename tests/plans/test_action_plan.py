"""Bilaga 1 Handlingsplan as a table: filter by goal, municipality and network; sort; export."""
import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Activity, Goal, Municipality, Network

pytestmark = pytest.mark.django_db
URL = reverse("plans:action_plan", args=[2019])


def rows(response) -> list[str]:
    return [a.title for a in response.context["table"].data]


def test_the_table_lists_every_activity_of_the_plan(anonym):
    response = anonym.get(URL)
    assert sorted(rows(response)) == sorted(Activity.objects.filter(plan__year=2019).values_list("title", flat=True))


def test_filtering_by_municipality_keeps_only_its_activities(anonym):
    salem = Municipality.objects.get(slug="salem")
    response = anonym.get(URL, {"municipality": salem.pk})
    expected = set(Activity.objects.filter(plan__year=2019, responsible_municipalities=salem).values_list("title", flat=True))
    assert expected and set(rows(response)) == expected


def test_filtering_by_a_goal_includes_the_activities_of_its_delmal(anonym):
    infrastructure = Goal.objects.get(programme__slug="sup-2013", title="Utnyttja den nya infrastrukturen")
    response = anonym.get(URL, {"goal": infrastructure.pk})
    expected = {a.title for a in Activity.objects.filter(plan__year=2019).select_related("goal__parent")
                if a.goal and infrastructure in (a.goal, a.goal.parent)}
    assert expected and set(rows(response)) == expected


def test_filtering_by_network(anonym):
    used = Network.objects.filter(activities__plan__year=2019).distinct()
    for network in used:
        response = anonym.get(URL, {"network": network.pk})
        assert set(rows(response)) == set(network.activities.filter(plan__year=2019).values_list("title", flat=True))


def test_the_table_sorts_by_cost(anonym):
    response = anonym.get(URL, {"sort": "-cost"})
    costs = [a.cost for a in response.context["table"].data if a.cost is not None]
    assert costs == sorted(costs, reverse=True)


def test_csv_export_has_the_columns_and_rows(anonym):
    response = anonym.get(URL, {"_export": "csv"})
    assert "handlingsplan-2019.csv" in response["Content-Disposition"]
    data = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Nr and the follow-up columns are for import_follow_up (export only).
    assert data[0] == ["Nr", "Mål", "Aktivitet", "Ansvarig", "När", "Kostnad", "Kommentar", "Uppföljning", "Resultat", "Utfall (kr)"]
    assert len(data) - 1 == Activity.objects.filter(plan__year=2019).count()


def test_xlsx_export_opens_in_excel(anonym):
    response = anonym.get(URL, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["Nr", "Mål", "Aktivitet", "Ansvarig", "När", "Kostnad", "Kommentar", "Uppföljning", "Resultat", "Utfall (kr)"]
    assert sheet.max_row - 1 == Activity.objects.filter(plan__year=2019).count()


def test_exports_never_write_live_formulas(anonym):
    """Text typed in the admin that a spreadsheet would run as a formula is exported as text."""
    activity = Activity.objects.filter(plan__year=2019).order_by("pk").first()
    with lock_bypass():  # the 2019 plan is decided; the text stands for one typed before the decision
        Activity.objects.filter(pk=activity.pk).update(
            title='=HYPERLINK("https://evil.example","Klicka")', comment="@SUM(A1:A9)", responsible_text="-2+3",
        )
    header, *data = list(csv.reader(io.StringIO(anonym.get(URL, {"_export": "csv"}).content.decode("utf-8-sig"))))
    column = {name: i for i, name in enumerate(header)}
    row = next(r for r in data if "HYPERLINK" in r[column["Aktivitet"]])
    assert row[column["Aktivitet"]] == "'=HYPERLINK(\"https://evil.example\",\"Klicka\")"
    assert row[column["Kommentar"]] == "'@SUM(A1:A9)" and row[column["Ansvarig"]].endswith("-2+3")
    sheet = openpyxl.load_workbook(io.BytesIO(anonym.get(URL, {"_export": "xlsx"}).content)).active
    letters = {c.value: c.column_letter for c in sheet[1]}
    cell = next(c for c in sheet[letters["Aktivitet"]] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    # Costs stay numbers.
    assert any(isinstance(c.value, int) for c in sheet[letters["Kostnad"]][1:])


@pytest.mark.parametrize("export_format", ["ods", "xls", "json", "yaml", "latex", "tsv", "html"])
def test_only_csv_and_xlsx_exports_exist(anonym, export_format):
    assert anonym.get(URL, {"_export": export_format}).status_code == 404
