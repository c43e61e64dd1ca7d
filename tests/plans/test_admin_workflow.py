"""The decision flow and the safeguards as the secretariat meets them in the admin."""
import pytest
from django.urls import reverse

from plans.models import Chapter, WorkPlan
from secretariat.services import work_plan_copy_to_year
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def change_url(plan):
    return reverse("admin:plans_workplan_change", args=[plan.pk])


@pytest.fixture
def draft(db):
    return work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020)


def test_a_decided_plan_is_read_only_in_the_admin(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    page = sekretariat.get(change_url(plan))
    assert page.status_code == 200
    assert {"year", "title", "subtitle", "programme"} <= set(page.context["adminform"].readonly_fields)
    chapters = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is Chapter)
    assert not chapters.has_change_permission and not chapters.has_add_permission
    chapter = plan.chapters.first()
    response = sekretariat.post(reverse("admin:plans_chapter_change", args=[chapter.pk]),
                                {"plan": plan.pk, "position": 1, "title": "Ändrad", "kind": "text"})
    assert response.status_code == 403
    assert Chapter.objects.get(pk=chapter.pk).title == chapter.title


def test_the_admin_offers_no_delete_for_plans(sekretariat):
    plan = WorkPlan.objects.get(year=2017)
    assert sekretariat.get(reverse("admin:plans_workplan_delete", args=[plan.pk])).status_code == 403


def test_the_secretariat_creates_next_years_plan_from_the_admin(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    response = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]), {"year": 2020})
    new = WorkPlan.objects.get(year=2020)
    assert response.status_code == 302 and response.url == change_url(new)
    again = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]), {"year": 2020})
    assert "Det finns redan en verksamhetsplan för 2020" in again.content.decode()


def test_decision_flow_through_the_admin(sekretariat, draft, monkeypatch):
    from secretariat import checks
    from plans.models import Body

    # The checklist has its own tests (test_checks.py); here only the flow.
    monkeypatch.setattr(checks, "work_plan_checklist", lambda plan: checks.Checklist(plan))
    sekretariat.post(reverse("admin:plans_workplan_propose", args=[draft.pk]))
    response = sekretariat.post(reverse("admin:plans_workplan_decide", args=[draft.pk]), {
        "decided_on": "2019-12-19", "decided_by": Body.objects.get(slug="samarbetskommitten").pk, "reference": "§ 45",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == WorkPlan.Status.DECIDED and draft.archives.count() == 1
    response = sekretariat.post(reverse("admin:plans_workplan_reopen", args=[draft.pk]), {"reason": "kort"})
    assert "Skriv varför planen öppnas igen" in response.content.decode()
    sekretariat.post(reverse("admin:plans_workplan_reopen", args=[draft.pk]), {"reason": "Ny befolkningsstatistik kräver ny budget."})
    draft.refresh_from_db()
    assert draft.status == WorkPlan.Status.DRAFT


def test_a_stale_save_is_refused_and_both_versions_are_kept(sekretariat, client, sekretariat_user, draft, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("kansli2", password="x", is_staff=True)
    other.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(other)
    mine = admin_form_data(sekretariat, change_url(draft))
    theirs = admin_form_data(client, change_url(draft))

    theirs["subtitle"] = "Samarbetskommittén och ledningsgruppen (deras version)"
    assert client.post(change_url(draft), theirs).status_code == 302

    mine["subtitle"] = "Min version av undertiteln"
    response = sekretariat.post(change_url(draft), mine)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Någon annan har sparat planen medan du redigerade" in text
    assert "undertitel ändrades av kansli2" in text
    assert 'value="Min version av undertiteln"' in text  # what I typed is still in the form
    assert WorkPlan.objects.get(pk=draft.pk).subtitle == "Samarbetskommittén och ledningsgruppen (deras version)"


def test_a_change_is_recorded_with_who_and_when_and_can_be_reverted(sekretariat, draft):
    data = admin_form_data(sekretariat, change_url(draft))
    data["subtitle"] = "Felaktig undertitel"
    assert sekretariat.post(change_url(draft), data).status_code == 302
    plan = WorkPlan.objects.get(pk=draft.pk)
    latest = plan.history.latest()
    assert latest.history_user.username == "kansli" and latest.subtitle == "Felaktig undertitel"
    original = plan.history.earliest()
    history_url = reverse("admin:plans_workplan_simple_history", args=[plan.pk, original.history_id])
    assert sekretariat.get(history_url).status_code == 200
    data = {**admin_form_data(sekretariat, change_url(plan)), "subtitle": original.subtitle, "loaded_version": plan.version}
    response = sekretariat.post(history_url, data)
    assert response.status_code == 302
    assert WorkPlan.objects.get(pk=draft.pk).subtitle == original.subtitle


def test_a_stale_save_of_a_chapter_is_refused_and_keeps_what_was_typed(sekretariat, client, draft, django_user_model):
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("kansli3", password="x", is_staff=True)
    other.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(other)
    chapter = draft.chapters.get(number="1")
    url = reverse("admin:plans_chapter_change", args=[chapter.pk])

    def data(c, body):
        form = c.get(url).context["adminform"].form
        return {"plan": draft.pk, "position": chapter.position, "number": chapter.number, "title": chapter.title,
                "kind": chapter.kind, "body": body, "loaded_version": form.fields["loaded_version"].initial}

    mine, theirs = data(sekretariat, "Min text."), data(client, "Deras text.")
    assert client.post(url, theirs).status_code == 302
    response = sekretariat.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har sparat kapitel" in page and "kansli3" in page
    assert "Min text." in page
    assert Chapter.objects.get(pk=chapter.pk).body == "Deras text."
