"""clean: publisher HTML -> safe Markdown; feed strings -> plain text.

Every output is checked the way a reader gets it: rendered by Python-Markdown with the
extensions mkdocs.yml enables, then parsed as HTML and scanned for executable markup.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from lxml import html as lxml_html

from digest.ingest.clean import clean, is_tracker, plain_text, sanitise_html
from tests.helpers import CONTROL_CHARACTERS, render, unsafe_markup


def markdown_of(fragment: str, base: str = "") -> str:
    return clean(fragment, base).markdown


def published(fragment: str, base: str = "https://news.example/a/b.html") -> str:
    return render(markdown_of(fragment, base))


# -- plain text --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("<b>Storm</b> &amp; rain", "Storm & rain"),
    ("  many \n\t spaces  ", "many spaces"),
    ("<script>alert(1)</script>Headline", "Headline"),
    ("a &lt;script&gt; b", "a ‹script› b"),
    ("1 < 2 > 0", "1 ‹ 2 › 0"),
    ("<img src=x onerror=alert(1)>Title", "Title"),
    ("", ""),
    (None, ""),
])
def test_plain_text_strips_tags_decodes_entities_and_neutralises_brackets(raw, expected):
    assert plain_text(raw) == expected


def test_plain_text_is_capped_at_a_word_boundary():
    text = plain_text("word " * 100, limit=30)
    assert len(text) <= 30 and text.endswith("…") and "wor…" not in text


# -- sanitiser ---------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["script", "style", "iframe", "object", "form",
                                 "applet", "noscript", "textarea", "svg"])
def test_dangerous_elements_go_with_their_content(tag):
    out = sanitise_html(f"<p>Kept</p><{tag}>alert('x') secret</{tag}>")
    assert "Kept" in out and "secret" not in out and f"<{tag}" not in out


@pytest.mark.parametrize("tag", ["meta", "base", "link", "embed"])
def test_void_head_elements_go(tag):
    assert f"<{tag}" not in sanitise_html(f'<{tag} href="https://evil.example/" content="0"><p>x</p>')


def test_event_handlers_and_style_attributes_are_removed():
    out = sanitise_html('<p onclick="a()" style="position:fixed">x<img src="https://i.example/a.png" '
                        'onerror="b()" onload="c()"></p>')
    assert "onclick" not in out and "onerror" not in out and "onload" not in out and "style" not in out


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "java\tscript:alert(1)",
                                 "jav&#x09;ascript:alert(1)", "&#106;avascript:alert(1)"])
def test_script_and_data_urls_never_survive(url):
    out = sanitise_html(f'<a href="{url}">link</a><img src="{url}" alt="pic">')
    assert "href" not in out and "<img" not in out
    assert unsafe_markup(published(f'<p><a href="{url}">link</a></p>')) == []


def test_relative_urls_resolve_against_the_entry_link():
    out = sanitise_html('<a href="../c/d.html">x</a><img src="/i.png" alt="i">', "https://news.example/a/b/e.html")
    assert 'href="https://news.example/a/c/d.html"' in out
    assert 'src="https://news.example/i.png"' in out


def test_images_keep_alt_and_load_lazily():
    markdown_text = markdown_of('<p><img src="https://i.example/a.png" alt="A flooded street" width="600"></p>')
    assert markdown_text.strip() == ('<img src="https://i.example/a.png" alt="A flooded street" '
                                     'loading="lazy" referrerpolicy="no-referrer">')


@pytest.mark.parametrize("image", [
    '<img src="https://stats.example/p.gif" width="1" height="1">',
    '<img src="https://stats.example/p.gif" width="0" height="0" alt="">',
    '<img src="http://feeds.feedburner.com/~r/Example/~4/AbCdE">',
    '<img src="https://pixel.wp.com/g.gif?blog=1">',
    '<img src="https://www.google-analytics.com/collect?v=1">',
])
def test_tracking_pixels_are_removed(image):
    assert "<img" not in markdown_of(f"<p>Story text.{image}</p>")


def test_tracker_hosts_match_subdomains_only_on_a_dot():
    assert is_tracker("https://ad.doubleclick.net/x")
    assert not is_tracker("https://notdoubleclick.net/x")


# -- Markdown: text stays text -----------------------------------------------------------

def test_text_that_looks_like_markdown_or_html_stays_text():
    page = published("<p>[x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; *not bold* "
                     "&lt;script&gt;alert(2)&lt;/script&gt;</p><p># not a heading</p><p>1. not a list</p>")
    assert unsafe_markup(page) == []
    assert "<a " not in page and "<em>" not in page and "<h1" not in page and "<ol>" not in page
    text = lxml_html.fragment_fromstring(page, create_parent="div").text_content()
    assert "[x](javascript:alert(1))" in text and "<img src=x onerror=alert(1)>" in text
    assert "# not a heading" in text and "*not bold*" in text


def test_ampersands_and_other_characters_show_without_backslashes():
    page = published("<p>AT&amp;T, Q&amp;A, a = b, x ~ y, &amp;lt;b&amp;gt;</p>")
    text = lxml_html.fragment_fromstring(page, create_parent="div").text_content()
    assert text == "AT&T, Q&A, a = b, x ~ y, &lt;b&gt;"


@pytest.mark.parametrize("wrapper", ["{}", "<ul><li>item{}</li></ul>", "<blockquote>{}</blockquote>",
                                     "<ol><li><ul><li>deep{}</li></ul></li></ol>", "<table><tr><td>{}</td></tr></table>"])
def test_code_blocks_stay_literal_wherever_they_stand(wrapper):
    code = "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n[x](javascript:alert(2))\n  indented &lt;b&gt;</code></pre>"
    page = published(wrapper.format(code))
    assert unsafe_markup(page) == []
    assert "<b>" not in page and "<a " not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_links_keep_their_text_and_get_no_title_injection():
    page = published('<p><a href="https://x.example/a b(c)[d]" title=\'t" onmouseover="x\'>a link</a></p>')
    assert unsafe_markup(page) == []
    link = lxml_html.fragment_fromstring(page, create_parent="div").find(".//a")
    assert link.text == "a link" and link.get("href").startswith("https://x.example/a%20b%28c%29")


def test_image_alt_with_markup_cannot_open_a_tag():
    page = published('<p><img src="https://i.example/a.png" alt="x&gt;&lt;script&gt;alert(1)&lt;/script&gt;"></p>')
    assert unsafe_markup(page) == []


def test_clean_gives_plain_text_with_paragraphs_apart():
    result = clean("<p>One two.</p><p>Three</p><script>four()</script>")
    assert result.text == "One two. Three" and result.words == 3


# -- property tests: nothing executable comes out, whatever goes in ------------------------

TAGS = ["p", "a", "img", "script", "style", "iframe", "object", "embed", "form", "meta", "base",
        "svg", "math", "pre", "code", "ul", "li", "blockquote", "table", "td", "b", "div", "span",
        "textarea", "noscript", "template", "details", "input", "button", "frame", "select", "xmp",
        "plaintext", "title", "listing", "noembed", "option"]
ATTRIBUTES = ["href", "src", "onerror", "onclick", "style", "alt", "title", "srcset", "action",
              "formaction", "xlink:href", "markdown", "class", "data-x", "background"]
VALUES = ["javascript:alert(1)", " java\nscript:alert(1)", "vbscript:x", "data:text/html,<script>",
          "https://ok.example/a", "/relative", "x\" onerror=\"alert(1)", "'><script>alert(1)</script>",
          "&#106;avascript:alert(1)", "1", "`", "**", "[x](javascript:y)"]
TEXTS = ["[x](javascript:alert(1))", "<script>alert(1)</script>", "&lt;img onerror=alert(1)&gt;",
         "`", "``", "*", "_", "#", "1.", "-", ">", "|", "\\", "&", "&amp;", "&#60;", "<!--", "-->",
         "]]>", "<![CDATA[", "\n\n", "    ", "![i](javascript:1)", "<http://x>", "[a]: javascript:b",
         "{: onclick=x}", "<div markdown=\"1\">", "</div>", "=", "---", "***", "~~~", "```"]


@st.composite
def hostile_html(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 3 if depth < 3 else 1))
        if kind == 0:
            parts.append(draw(st.sampled_from(TEXTS)))
        elif kind == 1:
            parts.append(draw(st.text(max_size=12)))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(f' {draw(st.sampled_from(ATTRIBUTES))}="{draw(st.sampled_from(VALUES))}"'
                            for _ in range(draw(st.integers(0, 2))))
            inner = draw(hostile_html(depth + 1))
            closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(hostile_html())
def test_no_executable_markup_survives_clean_and_render(fragment):
    page = published(fragment)
    assert unsafe_markup(page) == [], (fragment, markdown_of(fragment, "https://news.example/"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(hostile_html(), st.text()))
def test_plain_text_never_holds_a_bracket(value):
    assert "<" not in plain_text(value) and ">" not in plain_text(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEXTS) | st.text(max_size=8), max_size=8).map("".join))
def test_text_is_never_turned_into_markup(text):
    """Text (escaped into HTML, as a feed carries it) gives no link, image or tag."""
    from html import escape
    page = published(f"<p>{escape(text)}</p>")
    tree = lxml_html.fragment_fromstring(CONTROL_CHARACTERS.sub("", page), create_parent="div")
    assert [e.tag for e in tree.iter() if isinstance(e.tag, str) and e.tag not in
            ("div", "p", "br", "code", "em", "strong", "hr", "h1", "h2", "ul", "ol", "li",
             "blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td")] == []
    assert unsafe_markup(page) == []


@settings(max_examples=150, deadline=None)
@given(st.one_of(hostile_html(), st.lists(st.sampled_from(TEXTS) | st.text(max_size=8), max_size=8).map("".join)))
def test_titles_stay_inert_on_listing_pages(raw_title):
    """A title as listing pages put it into Markdown (markup.md_text) gives no link or tag."""
    from digest.site.markup import md_text
    page = render(f"- {md_text(plain_text(raw_title))}")
    tree = lxml_html.fragment_fromstring(CONTROL_CHARACTERS.sub("", page), create_parent="div")
    assert {e.tag for e in tree.iter() if isinstance(e.tag, str)} <= {"div", "ul", "li", "p"}
    assert unsafe_markup(page) == []


def test_nested_lists_and_paragraphs_in_list_items_keep_their_structure():
    page = published("<ul><li>one<p>more of one</p><ul><li>nested</li></ul></li><li>two</li></ul>")
    tree = lxml_html.fragment_fromstring(page, create_parent="div")
    first = tree.find("ul/li")
    assert "more of one" in first.text_content() and first.find(".//ul/li").text_content() == "nested"


def test_links_in_the_text_lose_their_tracking_parameters_only():
    markdown = markdown_of('<p>See <a href="https://a.example/x?id=7&amp;utm_source=rss&amp;fbclid=Q#part">'
                          'the report</a> and <a href="https://b.example/y?q=a+b&amp;page=2">the data</a>.</p>',
                          "https://a.example/")
    assert "(https://a.example/x?id=7#part)" in markdown
    assert "(https://b.example/y?q=a+b&page=2)" in markdown     # nothing to strip: untouched
    assert "utm_" not in markdown and "fbclid" not in markdown
