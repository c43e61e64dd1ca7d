"""Markdown limits: whatever an editor types, every page and PDF renders, in bounded
time, and nothing of the chapter after a stray tag is lost."""
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sodertorn.lock import lock_bypass
from plans.models import Chapter, WorkPlan
from sodertorn.markdown import MAX_DEPTH, MAX_SPAN, nesting_depth, render_markdown, validate_markdown

DEEP_DIVS = "<div>" * 3000 + "djupt inne" + "</div>" * 3000
DEEP_QUOTES = ">" * 1000 + " citerat"
HUGE_SPAN = '<table><tr><td colspan="1000000" rowspan="1000000">bred</td></tr></table>'
HOSTILE_CHAPTER = "\n\n".join([
    "Inledning.", HUGE_SPAN, DEEP_DIVS, DEEP_QUOTES, "".join("  " * i + "- nivå\n" for i in range(60)),
    "<style>", "Texten efter stilen finns kvar.",
])


def test_table_cells_span_at_most_the_limit():
    html = render_markdown(HUGE_SPAN)
    assert f'colspan="{MAX_SPAN}"' in html and f'rowspan="{MAX_SPAN}"' in html
    assert "1000000" not in html and "bred" in html
    assert 'colspan="3"' in render_markdown('<table><tr><td colspan="3">x</td></tr></table>')
    assert "colspan" not in render_markdown('<table><tr><td colspan="två">x</td></tr></table>')


@pytest.mark.parametrize("text", [DEEP_DIVS, DEEP_QUOTES, "<em>" * 2000 + "djupt inne"])
def test_deep_nesting_is_flattened_and_the_text_kept(text):
    html = render_markdown(text)
    assert nesting_depth(html) <= MAX_DEPTH
    assert "djupt inne" in html or "citerat" in html


@pytest.mark.parametrize("href", [
    "//evil.example/x", "\\\\evil.example/x", "/\\evil.example", "https:evil.example", "http://example.org",
    "/planer/2019/", "javascript:alert(1)", "data:text/html,x",
])
def test_only_https_mailto_and_anchor_links_are_kept(href):
    html = render_markdown(f'[länk]({href}) <a href="{href}">rå</a>')
    assert "href" not in html and "länk" in html and "rå" in html


def test_https_mailto_and_footnote_links_stay():
    html = render_markdown("[Digg](https://www.digg.se) [mejla](mailto:kansliet@example.se) Text[^1]\n\n[^1]: Not.")
    assert 'href="https://www.digg.se"' in html and 'href="mailto:kansliet@example.se"' in html
    assert 'href="#fn:1"' in html


@pytest.mark.parametrize("tag", ["style", "script", "iframe", "textarea", "title", "xmp", "noscript", "plaintext"])
def test_an_unclosed_raw_text_tag_does_not_swallow_the_rest(tag):
    html = render_markdown(f"Före.\n\n<{tag}>\n\nEfter *text*.\n\nSista stycket.")
    assert "<p>Efter <em>text</em>.</p>" in html and "<p>Sista stycket.</p>" in html
    assert f"<{tag}" not in html


def test_closed_style_and_script_blocks_lose_their_content():
    html = render_markdown("A <style>p { color: red }</style> B <script>alert(1)</script> C")
    assert "color" not in html and "alert" not in html
    assert "A" in html and "B" in html and "C" in html


@pytest.mark.parametrize("text, message", [
    (HUGE_SPAN, f"högst {MAX_SPAN} kolumner eller rader"),
    (DEEP_DIVS, f"högst {MAX_DEPTH} går att visa"),
    (DEEP_QUOTES, f"högst {MAX_DEPTH} går att visa"),
    ("[länk](//evil.example/x)", "Länkar måste börja med https://"),
])
def test_validation_refuses_what_cannot_be_shown_as_typed(text, message):
    with pytest.raises(ValidationError, match=message):
        validate_markdown(text)


def test_validation_accepts_ordinary_markdown():
    validate_markdown("## Rubrik\n\n- en\n    - två\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Digg](https://www.digg.se)")


@pytest.mark.django_db
def test_the_admin_refuses_a_chapter_that_breaks_the_limits():
    chapter = Chapter.objects.filter(plan__year=2017).first()
    chapter.body = HUGE_SPAN
    with pytest.raises(ValidationError) as exc:
        chapter.full_clean()
    assert "body" in exc.value.message_dict


def _timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_a_hostile_chapter_renders_to_pdf_in_bounded_time(anonym, pdf_text_of):
    """Saved past validation (an old row, an import): the page and the archival PDF,
    which anyone may ask for, still render, in about the time of the plain plan
    (before: colspan kept WeasyPrint busy for 90 s and more, deep nesting gave 500)."""
    plan = WorkPlan.objects.get(year=2017)
    url = reverse("plans:work_plan_pdf", args=[2017]) + "?variant=arkiv"
    _, plain = _timed_get(anonym, url)
    with lock_bypass():  # the 2017 plan is decided; the row stands for an old one or an import
        Chapter.objects.filter(plan=plan, number="1").update(body=HOSTILE_CHAPTER)
    page = anonym.get(plan.get_absolute_url())
    assert page.status_code == 200 and "Texten efter stilen finns kvar." in page.content.decode()
    pdf, hostile = _timed_get(anonym, url)
    assert pdf.status_code == 200
    assert "Texten efter stilen finns kvar." in pdf_text_of(pdf.content)
    print(f"archival PDF of plan 2017: plain {plain:.2f} s, with the hostile chapter {hostile:.2f} s")
    assert hostile < 2 * plain + 3


# -- memoised rendering (issue 15) ----------------------------------------------

def test_the_same_text_is_converted_once(monkeypatch):
    from sodertorn import markdown as module

    calls = []
    convert = module._to_html
    monkeypatch.setattr(module, "_to_html", lambda text: calls.append(text) or convert(text))
    text = "Ett *minnesvärt* stycke om Södertörn, en gång."
    first, second = render_markdown(text), render_markdown(text)
    assert first == second == "<p>Ett <em>minnesvärt</em> stycke om Södertörn, en gång.</p>"
    assert calls == [text]


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    with_footnote = render_markdown("Text med not[^1].\n\n[^1]: Noten.")
    assert 'class="footnote"' in with_footnote
    assert render_markdown("Text utan not, första gången.") == "<p>Text utan not, första gången.</p>"


def test_converters_are_safe_to_use_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"Stycke {n} med not[^a].\n\n[^a]: Not {n}.\n\n- punkt {n}" for n in range(200)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render_markdown, texts))
    for n, html in enumerate(results):
        assert f"Stycke {n} med not" in html and f"Not {n}." in html and f"<li>punkt {n}</li>" in html
        assert html.count('class="footnote"') == 1
