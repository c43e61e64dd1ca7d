"""No stored text carries the OCR noise of the scanned source documents."""
import re

import pytest
from django.apps import apps
from django.db import models

from plans.apps import INTERNAL_MODELS

pytestmark = pytest.mark.django_db

# Words as the OCR mangled them: each would be a misspelling in a stored text.
TELL_TALES = [
    r"\bSodert", r"\bSdert", r"S6dert", r"\bSodertsrn", r"\binvanare", r"\btillvaxt", r"\btillvixt",
    r"\btillvidxt", r"\b4r\b", r"\bmitas\b", r"\bmatas\b", r"\bNynashamn", r"\bTyreso\b", r"\bhogskol",
    r"\bnaringsliv", r"\bkommunfdrbund", r"\bvarlds", r"\b[Ff]or\b", r"\bpa\b", r"\bdr\b", r"\bi1\b",
    r"\bV1\b", r"\bbade\b", r"\bfa\b", r"\bmal\b", r"\bar\b", r"\bfran\b", r"\bsarskild", r"\bsamhalle",
    r"\bOmvarld", r"(?<!\^)\bagarstyrning", r"\bStorSthim\b", r"\bkommitte\b", r"\bmiljo\b", r"\bgora\b",
]
PATTERN = re.compile("|".join(TELL_TALES))


def text_fields():
    for app in ("plans", "calendar_app", "budget"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.model_name in INTERNAL_MODELS:
                continue  # history copies and load_seed's bookkeeping (slugs, keys)
            for field in model._meta.get_fields():
                if (
                    isinstance(field, (models.CharField, models.TextField))
                    and not isinstance(field, models.SlugField)
                    and not field.choices
                    and field.name != "filename"
                ):
                    yield model, field.name


def test_no_stored_text_contains_ocr_noise():
    offenders = []
    checked = 0
    for model, name in text_fields():
        for pk, value in model.objects.values_list("pk", name):
            checked += 1
            for match in PATTERN.finditer(value or ""):
                start = max(match.start() - 30, 0)
                offenders.append(f"{model.__name__}#{pk}.{name}: …{value[start:match.end() + 30]}…")
    assert checked > 500, "the seed data should be loaded"
    assert not offenders, "OCR noise in stored text:\n" + "\n".join(offenders[:40])


@pytest.mark.parametrize("noisy", ["Sodertorn är", "ca 450 000 invanare", "kraftig tillvaxt", "Det 4r viktigt"])
def test_the_noise_check_recognises_typical_ocr_errors(noisy):
    assert PATTERN.search(noisy)
