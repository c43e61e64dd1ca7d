"""Every page type is valid HTML (the Nu Html Checker, the W3C validator's engine)."""
import json
import subprocess

import pytest

from plans.models import WorkPlan
from tests.environment import VNU, requires_vnu

pytestmark = [pytest.mark.django_db, requires_vnu]

PAGES = [
    "/", "/planer/", "/planer/2019/", "/planer/2019/handlingsplan/", "/planer/2019/jamfor/2017/",
    "/planer/2019/arsredovisning/", "/program/sup-2013/", "/natverk/", "/natverk/klimatstrateger/",
    "/kalender/", "/kalender/2017/", "/kalender/rotation/", "/budget/", "/budget/2017/", "/budget/2017/avgifter/",
    "/dokument/", "/dokument/samarbetsavtal-2010/", "/tillganglighet/", "/konto/logga-in/",
]


def test_every_page_type_is_valid_html(anonym, tmp_path):
    event = WorkPlan.objects.get(year=2017).events.first()
    files = []
    for i, url in enumerate(PAGES + [event.get_absolute_url()]):
        response = anonym.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"page{i:02d}.html"
        path.write_bytes(response.content)
        files.append((url, path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *[str(p) for _, p in files]],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1 means "errors found", reported below
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_file = {str(p): url for url, p in files}
    errors = [f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors[:30])
