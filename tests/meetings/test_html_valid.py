"""Every new meeting page is valid HTML (the Nu Html Checker)."""
import datetime
import json
import subprocess

import pytest
from django.test import Client

from meetings.models import Assignment
from meetings.services import paragraph_adoption_record, paragraph_send_to_municipalities
from tests.environment import VNU, requires_vnu

from .conftest import approver, attach_document
from .test_flow import approve_all, at, held

pytestmark = [pytest.mark.django_db, requires_vnu]


def test_every_meeting_page_is_valid_html(lasare_user, tmp_path):
    approved = held(datetime.date(2026, 3, 5), joint=("Remissvar",), items=("Verksamhetsplan", "Remissvar", "Personal"))
    approve_all(approved, at(datetime.date(2026, 3, 9)))
    paragraph = approved.paragraphs.get(number=2)
    paragraph_send_to_municipalities(paragraph=paragraph, sent_on=datetime.date(2026, 3, 10))
    first = paragraph.adoptions.order_by("municipality__name").first()
    paragraph_adoption_record(adoption=first, decided_on=datetime.date(2026, 4, 13), assembly="ks",
                              decision_paragraph="§ 57", announced_on=datetime.date(2026, 4, 15))
    Assignment.objects.create(paragraph=paragraph, clause=2, description="Redovisa remissvaret",
                              to_body=paragraph.body, due_date=datetime.date(2026, 4, 1))
    draft = held(datetime.date(2026, 4, 2))
    attach_document(draft.items.first())

    anonym, reader, chair = Client(), Client(), Client()
    reader.force_login(lasare_user)
    chair.force_login(approver(draft.chair, "ordforande-vnu"))
    pages = [
        (anonym, "/sammantraden/"), (anonym, "/sammantraden/samarbetskommitten/2026/"),
        (anonym, approved.get_absolute_url()), (anonym, approved.event.get_absolute_url()),
        (reader, "/sammantraden/"), (reader, approved.get_absolute_url()), (reader, draft.get_absolute_url()),
        (reader, "/uppdrag/"), (chair, draft.get_absolute_url()),
    ]
    files = []
    for i, (client, url) in enumerate(pages):
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"page{i:02d}.html"
        path.write_bytes(response.content)
        files.append((url, path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *[str(p) for _, p in files]],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_file = {str(p): url for url, p in files}
    errors = [f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors[:30])
