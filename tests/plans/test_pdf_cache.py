"""PDFs found by the content version without rendering HTML, and the PDFs of a plan
put forward for decision rendered before anyone asks (secretariat/pdfs.py)."""
import logging

import pytest
from django.core.management import call_command

from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Chapter, WorkPlan
from secretariat.pdfs import work_plan_pdf_bytes
from secretariat.services import work_plan_propose
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_rendering(monkeypatch):
    """Fail the test if anything renders HTML or runs WeasyPrint."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered although the PDF was in the cache")

    monkeypatch.setattr("sodertorn.pdf.render_html", refuse)
    monkeypatch.setattr("sodertorn.pdf.html_to_pdf", refuse)


@pytest.fixture
def no_weasyprint(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("WeasyPrint ran although the document did not change")

    monkeypatch.setattr("sodertorn.pdf.html_to_pdf", refuse)


@pytest.fixture
def proposed_2019(django_capture_on_commit_callbacks):
    with lock_bypass():  # the seeded 2019 plan is decided; stand in for its reopening
        WorkPlan.objects.filter(year=2019).update(status=WorkPlan.Status.DRAFT)
    plan = plan_make_ready(WorkPlan.objects.get(year=2019))
    with django_capture_on_commit_callbacks(execute=True):
        plan = work_plan_propose(plan=plan, user=None, confirm_warnings=True)
    return plan


def test_a_cached_pdf_is_found_without_rendering_html(django_assert_max_num_queries, request):
    plan = WorkPlan.objects.select_related("programme").get(year=2017)
    pdf = work_plan_pdf_bytes(plan=plan)
    request.getfixturevalue("no_rendering")
    # At most the content version: a maximum on purpose, as the version is mirrored in
    # the cache for VERSION_SECONDS and read from the database only once that expired
    # (the rendering above may take longer). No response here: the bytes themselves
    # are compared, so an error cannot pass.
    with django_assert_max_num_queries(1):
        assert work_plan_pdf_bytes(plan=plan) == pdf


def test_proposing_a_plan_renders_its_pdfs_ahead(proposed_2019, lasare, no_rendering):
    for url in ["/planer/2019/pdf/", "/planer/2019/pdf/?variant=arkiv", "/planer/2019/pdf/?jamfor=2017"]:
        response = lasare.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF")


def test_an_edit_elsewhere_keeps_the_rendered_pdf(proposed_2019, lasare, no_weasyprint):
    event = Event.objects.filter(year=2012).first()
    event.note = "Ändrat efter att planen 2019 lades fram"
    with lock_bypass():  # an event of the decided 2012 plan; the cache is the point here
        event.save()
    assert lasare.get("/planer/2019/pdf/").status_code == 200


def test_an_edit_to_the_plan_renders_its_pdf_anew(proposed_2019, lasare):
    from tests.plans.conftest import pdf_text

    chapter = Chapter.objects.filter(plan=proposed_2019).order_by("position").first()
    chapter.body += "\n\nSkrivet efter förslaget till beslut."
    chapter.save()
    assert "Skrivet efter förslaget till beslut." in pdf_text(lasare.get("/planer/2019/pdf/").content)


def test_a_failed_rendering_ahead_does_not_undo_the_proposal(monkeypatch, django_capture_on_commit_callbacks, caplog):
    def fail(**kwargs):
        raise RuntimeError("WeasyPrint gick sönder")

    monkeypatch.setattr("secretariat.pdfs.work_plan_pdfs_prerender", fail)
    with lock_bypass():  # the seeded 2019 plan is decided; stand in for its reopening
        WorkPlan.objects.filter(year=2019).update(status=WorkPlan.Status.DRAFT)
    plan = plan_make_ready(WorkPlan.objects.get(year=2019))
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        work_plan_propose(plan=plan, user=None, confirm_warnings=True)
    assert WorkPlan.objects.get(year=2019).status == WorkPlan.Status.PROPOSED
    assert "Could not render the PDFs of plan" in caplog.text


def test_the_command_renders_the_plans_for_decision(lasare, capsys, request):
    with lock_bypass():  # the seeded 2019 plan is decided; stand in for one put forward
        WorkPlan.objects.filter(year=2019).update(status=WorkPlan.Status.PROPOSED)
    call_command("prerender_pdfs")
    out = capsys.readouterr().out
    assert "PDF klar: 2019 ua" in out and "PDF klar: 2019 ua jämfört med 2017" in out
    request.getfixturevalue("no_rendering")
    assert lasare.get("/planer/2019/pdf/").status_code == 200


def test_the_command_says_when_no_plan_is_for_decision(capsys):
    call_command("prerender_pdfs")
    assert "Ingen plan är lagd för beslut." in capsys.readouterr().out
