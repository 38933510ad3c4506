"""digest.site.markup: feed text stays text in our Markdown and inert in our templates."""

from __future__ import annotations

import jinja2
import markdown
from hypothesis import given
from hypothesis import strategies as st

from digest.site.markup import literal, md_link, md_text, template_safe


def test_md_text_renders_as_the_same_text():
    raw = "*Not* bold, [not](a link), <b>no tag</b> & 1. no list #no heading"
    html = markdown.markdown(md_text(raw))
    assert "<em>" not in html and "<a" not in html and "<b>" not in html
    assert "&lt;b&gt;no tag&lt;/b&gt;" in html and "*Not* bold" in html


def _md_text_one_character_at_a_time(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_{}[]()#+-.!|":
        text = text.replace(char, "\\" + char)
    return text


@given(st.text(alphabet=st.sampled_from("\\`*_{}[]()#+-.!|&<>;amp lt gt ü\n"), max_size=40))
def test_md_text_escapes_as_replacing_one_character_after_another(text):
    assert md_text(text) == _md_text_one_character_at_a_time(text)


def test_md_link_is_relative_to_the_source_file():
    assert md_link("days/2026-11-23.md", "posts/2026/11/23/a.md") == "../posts/2026/11/23/a.md"
    assert md_link("index.md", "archive.md") == "archive.md"


def test_template_text_cannot_open_a_tag():
    rendered = jinja2.Template(template_safe("{{ 7 * 7 }} {% if 1 %}x{% endif %}")).render()
    assert "49" not in rendered and "{" not in rendered


def test_a_literal_is_one_inert_jinja_string():
    markup = '<p class="x">O\'Brien \\ {{ x }}\nnext</p>'
    assert jinja2.Template("{{ " + literal(markup) + " }}").render() == \
        '<p class="x">O&#39;Brien &#92; &#123;&#123; x &#125;&#125; next</p>'

