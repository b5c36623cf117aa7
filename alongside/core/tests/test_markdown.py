"""The one Markdown pipeline: formatting survives, nothing executable does."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from alongside.core.markdown import (
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    MOST_MARKUP_CHARACTERS,
    render_markdown,
)

PAYLOADS = [
    line for line in (Path(__file__).with_name("xss_payloads.txt").read_text().splitlines()) if line
]


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcset", "formaction", "target"}:
                self.problems.append(f"attribute {name}")
            if name == "href" and value is not None:
                scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
                if scheme and scheme not in ALLOWED_URL_SCHEMES:
                    self.problems.append(f"href scheme {scheme}")


def test_the_corpus_has_at_least_100_payloads():
    assert len(PAYLOADS) >= 100


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_rendering(payload):
    inspector = _Inspector()
    inspector.feed(str(render_markdown(payload)))
    assert inspector.problems == []


def test_whole_corpus_as_one_document_is_clean():
    inspector = _Inspector()
    inspector.feed(str(render_markdown("\n\n".join(PAYLOADS))))
    assert inspector.problems == []


def test_ordinary_formatting_survives():
    html = render_markdown(
        "**Day 30** and _proud_.\n\n- one\n- two\n\n[meeting list](https://example.org/meetings)"
    )
    assert "<strong>Day 30</strong>" in html
    assert "<em>proud</em>" in html
    assert "<li>one</li>" in html
    assert 'href="https://example.org/meetings"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_headings_never_outrank_the_page():
    html = render_markdown("# Big\n\n## Bigger")
    assert "<h1>" not in html and "<h2>" not in html
    assert "<h3>Big</h3>" in html


def test_raw_html_is_shown_as_text_not_dropped():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")


def test_a_paste_made_of_slow_markup_gets_it_literally():
    # 100,000 "[" took 6 s to render (each looks ahead for its label), on every page showing it.
    flood = "[" * (MOST_MARKUP_CHARACTERS + 1) + " [meeting list](https://example.org/meetings)"
    html = render_markdown(flood)
    assert "<a " not in html and "[" * (MOST_MARKUP_CHARACTERS + 1) in html
    strikes = "~~no~~ " * MOST_MARKUP_CHARACTERS
    assert "<s>" not in render_markdown(strikes) and "~~no~~" in render_markdown(strikes)
    # Escaping keeps what the writer already escaped, and what is under the limit.
    many_links = "\\[not a link] \\\\[x](https://example.org) *a* " + "[" * MOST_MARKUP_CHARACTERS
    html = render_markdown(many_links + "]")
    assert "[not a link]" in html and "\\[x](https://example.org)" in html and "<em>a</em>" in html


def test_markup_below_the_limit_still_formats():
    text = "[link](https://example.org) *a* _b_ ~~c~~ " * (MOST_MARKUP_CHARACTERS // 8)
    html = render_markdown(text)
    assert html.count("<a ") == MOST_MARKUP_CHARACTERS // 8
    assert "<em>a</em>" in html and "<em>b</em>" in html and "<s>c</s>" in html
