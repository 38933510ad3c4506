"""structure: code blocks fenced with their indentation, headings shifted, layout tables
unwrapped, blocks kept apart, emphasis around paragraphs unwrapped; each checked as a reader
gets it (rendered with the site's Markdown extensions)."""

from __future__ import annotations

from lxml import html as lxml_html

from digest.ingest.clean import clean
from tests.helpers import render, unsafe_markup


def page_of(fragment: str):
    page = render(clean(fragment, "https://news.example/a").markdown)
    return page, lxml_html.fragment_fromstring(page, create_parent="div")


def test_a_code_block_keeps_its_indentation_as_one_fenced_block():
    code = 'def ferry(times):\n    for t in times:\n        print("&lt;%s&gt;" % t)\n\n\tdone = True'
    page, tree = page_of(f'<p>Try this:</p><pre><code class="language-python">{code}</code></pre><p>Done.</p>')
    (block,) = tree.findall(".//pre/code")
    # Highlighted by Pygments (superfences); Python-Markdown writes a tab as four spaces.
    assert block.text_content() == 'def ferry(times):\n    for t in times:\n        print("<%s>" % t)\n\n    done = True\n'
    assert [p.text for p in tree.findall("p")] == ["Try this:", "Done."]


def test_backticks_and_markup_in_code_cannot_close_the_fence_or_make_tags():
    code = "```\n&lt;script&gt;alert(1)&lt;/script&gt;\n````\n[x](javascript:alert(2))"
    page, tree = page_of(f"<pre>{code}</pre><p>After the code.</p>")
    assert unsafe_markup(page) == [] and "<script>" not in page and "<a " not in page
    assert tree.find(".//pre/code").text_content().startswith("```\n<script>alert(1)</script>\n````")
    assert tree.findall("p")[-1].text == "After the code."


def test_br_inside_pre_is_a_line_break_of_the_code():
    _, tree = page_of("<pre>line one<br>  line two</pre>")
    assert tree.find(".//pre/code").text_content() == "line one\n  line two\n"


def test_code_in_a_list_item_stays_literal_code_spans():
    page, tree = page_of("<ul><li>Run:<pre>make  install</pre></li></ul>")
    assert tree.find(".//li//code") is not None and unsafe_markup(page) == []


def test_h1_in_an_entry_is_shifted_down_with_the_headings_under_it():
    _, tree = page_of("<h1>Ferry news</h1><p>a</p><h2>Timetable</h2><p>b</p><h6>Small</h6>")
    assert [(e.tag, e.text) for e in tree if e.tag.startswith("h")] == [
        ("h2", "Ferry news"), ("h3", "Timetable"), ("h6", "Small")]


def test_headings_stay_as_they_are_without_an_h1():
    _, tree = page_of("<h2>Timetable</h2><p>b</p>")
    assert tree.find("h2").text == "Timetable"


def test_a_layout_table_is_unwrapped_into_its_paragraphs():
    _, tree = page_of("<table><tr><td><p>The ferry runs daily.</p><p>Tickets cost two pounds.</p></td>"
                      "<td><img src='https://news.example/f.jpg' alt='Ferry'></td></tr></table>")
    assert tree.find(".//table") is None
    assert [p.text for p in tree.findall("p") if p.text] == ["The ferry runs daily.", "Tickets cost two pounds."]
    assert tree.find(".//img").get("alt") == "Ferry"


def test_a_single_column_table_is_layout_too():
    _, tree = page_of("<table><tr><td>First block of text.</td></tr><tr><td>Second block.</td></tr></table>")
    assert tree.find(".//table") is None
    assert [p.text for p in tree.findall("p")] == ["First block of text.", "Second block."]


def test_a_data_table_stays_a_table():
    _, tree = page_of("<table><tr><th>Departure</th><th>Arrival</th></tr>"
                      "<tr><td>07:00</td><td>07:40</td></tr><tr><td>17:00</td><td>17:40</td></tr></table>")
    assert [td.text for td in tree.findall(".//table//td")] == ["07:00", "07:40", "17:00", "17:40"]


def test_adjacent_divs_do_not_glue_sentences():
    result = clean("<div>How do you get the most out of them?</div><div>Aim to get more done.</div>"
                   "<div>Loose text<p>a paragraph</p>more loose text</div>")
    assert "them? Aim" in result.text and "them?Aim" not in result.text
    assert result.markdown.split("\n\n")[:2] == ["How do you get the most out of them?", "Aim to get more done."]
    assert "Loose text\n\na paragraph\n\nmore loose text" in result.markdown


def test_emphasis_spanning_paragraphs_leaves_no_literal_asterisks():
    page, tree = page_of("<b><p>First bold paragraph.</p><p>Second one.</p></b><p>Plain <b>bold</b>.</p>")
    assert "*" not in tree.text_content()
    assert [p.text_content() for p in tree.findall("p")] == ["First bold paragraph.", "Second one.", "Plain bold."]
    assert tree.find(".//strong").text == "bold"
