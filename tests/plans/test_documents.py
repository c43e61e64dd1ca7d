"""The agreement, the 2009 motion and the yttrande are public records on the site."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_documents_are_listed(anonym, text_of):
    text = text_of(anonym.get(reverse("plans:document_list")))
    assert "Samarbetsavtal om Södertörnskommunernas samarbetskommitté" in text
    assert "Motion angående ett samlat kommunförbund på Södertörn" in text


def test_the_agreement_reads_in_full(anonym, text_of):
    text = text_of(anonym.get(reverse("plans:document_detail", args=["samarbetsavtal-2010"])))
    for fact in ["§ 1 Syfte", "§ 8 Avgift", "860 000", "31 december 2009", "15 mars", "§ 10 Kommitténs upplösande"]:
        assert fact in text


def test_the_yttrande_links_the_motion_it_answers(anonym):
    page = anonym.get(reverse("plans:document_detail", args=["yttrande-motion-kommunalforbund"])).content.decode()
    assert reverse("plans:document_detail", args=["motion-kommunalforbund-2009"]) in page
    assert "Förslag till beslut" in page and "Tyresö kommun" in page
