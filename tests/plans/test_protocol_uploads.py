"""Protocol extracts (uploaded PDFs): checked by parsing, and no file left behind
when it is replaced or its decision deleted."""
import io
import os

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from plans.models import MunicipalDecision, Municipality, WorkPlan

pytestmark = pytest.mark.django_db


def pdf_bytes(*, pages=1, action=None) -> bytes:
    """A valid PDF; `action` ("/JavaScript" or "/Launch") runs when it is opened."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if action:
        key = "/JS" if action == "/JavaScript" else "/F"
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject(action), NameObject(key): TextStringObject("app.alert('hej')"),
        }))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def decision(media):
    return MunicipalDecision.objects.create(
        plan=WorkPlan.objects.get(year=2019), municipality=Municipality.objects.get(slug="nykvarn"),
    )


def upload(decision, content, name="protokoll.pdf"):
    decision.protocol = SimpleUploadedFile(name, content, content_type="application/pdf")
    decision.full_clean()
    decision.save()
    return decision.protocol.path


def test_a_real_pdf_is_accepted_and_served(decision, lasare):
    path = upload(decision, pdf_bytes(pages=2))
    response = lasare.get(reverse("plans:decision_protocol", args=[2019, "nykvarn"]))
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 2
    assert path.endswith(".pdf")


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n",
    b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    pdf_bytes()[:200],
], ids=["html-with-pdf-header", "no-pages", "truncated"])
def test_a_file_that_only_starts_like_a_pdf_is_refused(decision, content):
    decision.protocol = SimpleUploadedFile("protokoll.pdf", content)
    with pytest.raises(ValidationError, match="kan inte läsas som PDF"):
        decision.full_clean()


@pytest.mark.parametrize("action", ["/JavaScript", "/Launch"])
def test_a_pdf_that_runs_something_when_opened_is_refused(decision, action):
    decision.protocol = SimpleUploadedFile("protokoll.pdf", pdf_bytes(action=action))
    with pytest.raises(ValidationError, match="innehåller skript eller kommandon"):
        decision.full_clean()


def test_a_replaced_file_is_removed_once_the_change_is_committed(decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = upload(decision, pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        new = upload(decision, pdf_bytes(pages=2))
        assert io.open(old, "rb")  # still there until the commit
    assert new != old
    assert not os.path.exists(old)
    assert os.path.exists(new)


def test_a_rolled_back_replacement_keeps_the_old_file(decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = upload(decision, pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                upload(decision, pdf_bytes(pages=2))
                raise RuntimeError("rollback")
    assert os.path.exists(old)
    assert not callbacks
    assert MunicipalDecision.objects.get(pk=decision.pk).protocol.path == old


def test_deleting_a_decision_removes_its_file(decision, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        path = upload(decision, pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        MunicipalDecision.objects.filter(pk=decision.pk).delete()
    assert not os.path.exists(path)


def test_a_missing_file_answers_404_not_500(decision, lasare, django_capture_on_commit_callbacks):
    path = upload(decision, pdf_bytes())
    os.remove(path)
    assert lasare.get(reverse("plans:decision_protocol", args=[2019, "nykvarn"])).status_code == 404
