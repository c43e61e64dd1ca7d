import html
import io
import re

import pypdf
import pytest

from plans.models import WorkPlan
from secretariat.services import work_plan_copy_to_year


def normalise(text: str) -> str:
    """Collapse white space (incl. non-breaking) so phrases match across line breaks."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def page_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    body = body.replace("<wbr>", "")  # a line-break opportunity, not a space
    return normalise(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def text_of():
    return page_text


@pytest.fixture
def pdf_text_of():
    return pdf_text


@pytest.fixture
def plan_2019(db):
    return WorkPlan.objects.get(year=2019)


@pytest.fixture
def draft_2020(plan_2019):
    """Next year's draft, copied from the decided 2019 plan as the secretariat does."""
    return work_plan_copy_to_year(source=plan_2019, year=2020)
