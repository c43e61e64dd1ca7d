"""One plan, eight decisions: where each kommunstyrelse stands, and the rules."""
import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Body, MunicipalDecision, Municipality, WorkPlan
from plans.services import municipal_decisions_mark_sent
from secretariat.services import work_plan_copy_to_year, work_plan_decide, work_plan_propose
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db


def _one_page_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()


@pytest.fixture(scope="module")
def _decided_2020_once(django_db_setup, django_db_blocker):
    """The 2020 plan copied, put forward and decided once for the module: deciding
    renders the plan's PDF and the eight fee decision PDFs for the archive, the
    slowest step of these tests. Made inside an outer transaction, as Django's
    setUpTestData does: each test's own transaction is a savepoint within it (its
    changes are rolled back as before) and the outer one is rolled back after the
    module, so nothing of the plan outlives it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan = plan_make_ready(work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020))
            work_plan_propose(plan=plan, user=None, confirm_warnings=True)
            work_plan_decide(plan=plan, user=None, confirm_warnings=True,
                             decided_on=datetime.date(2019, 12, 19),
                             decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 45")
            yield plan.pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def decided_2020(_decided_2020_once, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return WorkPlan.objects.get(pk=_decided_2020_once)


def decide(plan, slug, **kwargs) -> MunicipalDecision:
    decision, _ = MunicipalDecision.objects.get_or_create(plan=plan, municipality=Municipality.objects.get(slug=slug))
    values = {"status": "decided", "sent_on": datetime.date(2019, 12, 20), "decided_on": datetime.date(2020, 2, 10),
              "assembly": "ks", "decision_paragraph": "§ 12", "reference": "KS 2019/123"}
    values.update(kwargs)
    for key, value in values.items():
        setattr(decision, key, value)
    decision.full_clean()
    decision.save()
    return decision


def messages(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_sending_marks_all_eight_municipalities_once(decided_2020):
    assert municipal_decisions_mark_sent(plan=decided_2020, sent_on=datetime.date(2019, 12, 20)) == 8
    assert municipal_decisions_mark_sent(plan=decided_2020, sent_on=datetime.date(2019, 12, 21)) == 0
    assert set(decided_2020.municipal_decisions.values_list("status", "sent_on")) == {("sent", datetime.date(2019, 12, 20))}


def test_a_plan_is_not_sent_before_the_committee_has_decided():
    draft = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2021)
    with pytest.raises(ValidationError, match="först när samarbetskommittén har beslutat"):
        municipal_decisions_mark_sent(plan=draft, sent_on=datetime.date(2020, 12, 1))
    assert not draft.municipal_decisions.exists()


def test_a_decision_cannot_predate_the_committees_decision(decided_2020):
    with pytest.raises(ValidationError) as exc:
        decide(decided_2020, "haninge", sent_on=datetime.date(2019, 12, 1), decided_on=datetime.date(2019, 12, 2))
    assert "kan inte ligga före samarbetskommitténs beslut (2019-12-19)" in messages(exc)


def test_a_decision_needs_a_date_and_a_paragraph(decided_2020):
    with pytest.raises(ValidationError) as exc:
        decide(decided_2020, "salem", decided_on=None, decision_paragraph="")
    text = messages(exc)
    assert "Ett beslut behöver ett beslutsdatum." in text and "Ett beslut behöver en paragraf (§)." in text


def test_the_summary_counts_decided_municipalities(decided_2020, lasare):
    municipal_decisions_mark_sent(plan=decided_2020, sent_on=datetime.date(2019, 12, 20))
    for slug in ["botkyrka", "haninge", "huddinge", "nykvarn", "salem", "tyreso"]:
        decide(decided_2020, slug)
    decide(decided_2020, "sodertalje", status="referred_back", decision_paragraph="§ 3")
    page = lasare.get(reverse("plans:decisions", args=[2020])).content.decode()
    assert "6 av 8 kommuner har beslutat" in page
    assert "Återremitterad" in page and "KS 2019/123" in page


def test_the_public_sees_the_decisions_only_once_all_eight_have_decided(decided_2020, anonym):
    url = reverse("plans:decisions", args=[2020])
    municipal_decisions_mark_sent(plan=decided_2020, sent_on=datetime.date(2019, 12, 20))
    assert anonym.get(url).status_code == 404
    assert "kommuner har beslutat" not in anonym.get(decided_2020.get_absolute_url()).content.decode()
    for municipality in Municipality.objects.members():
        decide(decided_2020, municipality.slug)
    assert "8 av 8 kommuner har beslutat" in anonym.get(url).content.decode()
    assert "8 av 8 kommuner har beslutat" in anonym.get(decided_2020.get_absolute_url()).content.decode()


def test_the_decisions_export_as_csv(decided_2020, lasare):
    decide(decided_2020, "huddinge")
    response = lasare.get(reverse("plans:decisions", args=[2020]), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kommun", "Status", "Skickad"]
    assert len(rows) == 9
    assert ["Huddinge", "Beslutad", "2019-12-20", "2020-02-10"] == rows[[r[0] for r in rows].index("Huddinge")][:4]


def test_the_decisions_export_writes_formulas_as_text(decided_2020, lasare):
    decide(decided_2020, "huddinge", reference="=cmd|' /C calc'!A0", decision_paragraph="@12")
    url = reverse("plans:decisions", args=[2020])
    rows = list(csv.reader(io.StringIO(lasare.get(url, {"_export": "csv"}).content.decode("utf-8-sig"))))
    huddinge = rows[[r[0] for r in rows].index("Huddinge")]
    assert huddinge[5:7] == ["'@12", "'=cmd|' /C calc'!A0"]
    sheet = openpyxl.load_workbook(io.BytesIO(lasare.get(url, {"_export": "xlsx"}).content)).active
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("export_format", ["ods", "xls", "json", "yaml", "latex", "tsv", "html"])
def test_the_decisions_export_only_csv_and_xlsx(decided_2020, lasare, export_format):
    decide(decided_2020, "huddinge")
    assert lasare.get(reverse("plans:decisions", args=[2020]), {"_export": export_format}).status_code == 404


def test_overdue_municipalities_are_listed_for_the_secretariat(decided_2020, sekretariat, settings):
    settings.DECISION_REMINDER_WEEKS = 4
    municipal_decisions_mark_sent(plan=decided_2020, sent_on=datetime.date(2019, 12, 20))
    decide(decided_2020, "tyreso")
    page = sekretariat.get(reverse("plans:decisions", args=[2020])).content.decode()
    assert "Påminnelse behövs" in page and "inte beslutat 4 veckor" in page
    reminder = page[page.index("Påminnelse behövs"):page.index("</ul>", page.index("Påminnelse behövs"))]
    assert "Salem" in reminder and "Tyresö" not in reminder


@pytest.mark.parametrize("name, content, message", [
    ("protokoll.docx", PDF, "ska vara en PDF-fil"),
    ("protokoll.pdf", b"PK\x03\x04 a word file", "är inte en PDF"),
    ("protokoll.pdf.exe", PDF, "ska vara en PDF-fil"),
])
def test_an_upload_that_is_not_a_pdf_is_refused(decided_2020, name, content, message):
    decision = decide(decided_2020, "botkyrka")
    decision.protocol = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(ValidationError, match=message):
        decision.full_clean()
    assert not MunicipalDecision.objects.get(pk=decision.pk).protocol


def test_an_upload_over_the_size_limit_is_refused(decided_2020, settings):
    settings.PROTOCOL_MAX_BYTES = 1000
    decision = decide(decided_2020, "botkyrka")
    decision.protocol = SimpleUploadedFile("protokoll.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError, match="största tillåtna storlek"):
        decision.full_clean()


def test_a_protocol_is_served_only_to_those_allowed(decided_2020, lasare, django_user_model):
    from django.test import Client

    decision = decide(decided_2020, "nykvarn")
    decision.protocol = SimpleUploadedFile("p.pdf", PDF)
    decision.full_clean()
    decision.save()
    url = reverse("plans:decision_protocol", args=[2020, "nykvarn"])
    assert lasare.get(url).status_code == 200
    assert b"".join(lasare.get(url).streaming_content).startswith(b"%PDF-")
    assert Client().get(url).status_code == 302
    outsider = Client()
    outsider.force_login(django_user_model.objects.create_user("utan-roll"))
    assert outsider.get(url).status_code == 404


def test_only_the_secretariat_edits_decisions(decided_2020, sekretariat, lasare_user, client):
    decision = decide(decided_2020, "salem")
    change = reverse("admin:plans_municipaldecision_change", args=[decision.pk])
    assert sekretariat.get(change).status_code == 200
    client.force_login(lasare_user)
    assert client.get(change).status_code == 302  # not staff: sent to the admin login


def test_the_decisions_stay_editable_on_a_decided_plan_in_the_admin(decided_2020, sekretariat):
    page = sekretariat.get(reverse("admin:plans_workplan_change", args=[decided_2020.pk]))
    inline = next(f for f in page.context["inline_admin_formsets"] if f.opts.model is MunicipalDecision)
    assert inline.has_change_permission and inline.has_add_permission


def test_the_fee_decision_document_shows_the_municipalitys_diarienummer(anonym, pdf_text_of):
    plan = WorkPlan.objects.get(year=2017)
    huddinge = Municipality.objects.get(slug="huddinge")
    MunicipalDecision.objects.create(plan=plan, municipality=huddinge, reference="KS-2017/0042")
    pdf = anonym.get(reverse("budget:fee_pdf", args=[2017, "huddinge"]))
    text = pdf_text_of(pdf.content)
    assert "KS-2017/0042" in text and "Huddinge kommun" in text
