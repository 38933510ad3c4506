"""The shape of an entry's HTML, made to survive Markdown: code, headings, tables, blocks.

Runs on the publisher's lxml tree inside ``clean.prepare``, after boilerplate is gone and
before the sanitiser (which would otherwise unwrap ``div``s and glue their sentences):

- a code block that stands on its own (not inside a list, quote or table) becomes a
  placeholder paragraph that ``clean`` replaces, after the Markdown conversion, with a fenced
  block of the code exactly as written (indentation kept). Its fence is longer than any run
  of backticks in the code, so nothing in it can close it; Python-Markdown escapes its text.
  Code inside a list, quote or table stays a series of code spans: an indented fence there
  depends on the converter and Python-Markdown agreeing on indentation, a span does not;
- an entry that uses ``<h1>`` has every heading shifted one level down (the page's ``<h1>``
  is the article's title);
- a table that holds layout (a cell with paragraphs, lists or other blocks in it, or a single
  column) is unwrapped into its cells' contents; a data table stays a table;
- a ``div`` (or ``section``...) holding only text becomes a paragraph, and loose text between
  blocks is wrapped in one, so "...them?</div><div>Aim..." stays two sentences;
- emphasis wrapped around whole paragraphs is unwrapped: Markdown's ``**`` cannot span a
  paragraph break and would show as literal asterisks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html

BLOCK_TAGS = frozenset(("p", "div", "section", "article", "header", "footer", "aside", "main",
                        "center", "blockquote", "ul", "ol", "li", "dl", "dd", "dt", "table",
                        "pre", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                        "address", "details", "summary", "nav", "form"))
# Blocks the sanitiser unwraps (they are not in clean.ALLOWED_TAGS): their text must not glue.
UNWRAPPED_BLOCKS = ("div", "section", "article", "header", "footer", "aside", "main", "center",
                    "dd", "dt", "dl", "address", "details", "summary")
CELL_BLOCKS = frozenset(("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "pre", "figure", "section", "article"))
EMPHASIS = ("b", "strong", "i", "em", "u", "s", "del", "font", "span", "small", "big", "mark")
# Where a fenced block cannot stand (the indentation problem above).
NO_FENCE_INSIDE = frozenset(("li", "blockquote", "td", "th", "table", "ul", "ol", "dd", "figure"))
_LANGUAGE = re.compile(r"(?:lang(?:uage)?-)([A-Za-z0-9_+#-]{1,30})")


@dataclass(frozen=True)
class CodeBlock:
    language: str          # from class="language-x", or ""
    code: str              # exactly as published, tabs and indentation kept

    def fenced(self) -> str:
        longest = max((len(run) for run in re.findall(r"`+", self.code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{fence}{self.language}\n{self.code}\n{fence}"


def restructure(tree, placeholder: str) -> list[CodeBlock]:
    """Reshape ``tree`` in place; returns the code blocks, whose paragraphs read
    ``{placeholder}{n}`` (n: the index in the list)."""
    _unwrap_emphasis_around_blocks(tree)
    _shift_headings(tree)
    _unwrap_layout_tables(tree)
    blocks = _code_blocks(tree, placeholder)
    _separate_blocks(tree)
    return blocks


def _is_block(node) -> bool:
    return isinstance(node.tag, str) and node.tag in BLOCK_TAGS


def _unwrap_emphasis_around_blocks(tree) -> None:
    for element in list(tree.iter(*EMPHASIS)):
        if element is not tree and any(_is_block(child) for child in element.iter() if child is not element):
            element.drop_tag()


def _shift_headings(tree) -> None:
    if tree.find(".//h1") is None:
        return
    for element in list(tree.iter("h1", "h2", "h3", "h4", "h5")):
        element.tag = f"h{int(element.tag[1]) + 1}"


def _unwrap_layout_tables(tree) -> None:
    for table in reversed(list(tree.iter("table"))):      # innermost first
        if table is tree or table.getparent() is None or not _is_layout(table):
            continue
        holder = lxml_html.Element("div")
        for cell in table.iter("td", "th"):
            box = lxml_html.Element("div")
            box.text = cell.text
            for child in list(cell):
                box.append(child)
            holder.append(box)
        holder.tail = table.tail
        table.getparent().replace(table, holder)


def _is_layout(table) -> bool:
    rows = [row for row in table.iter("tr") if _owning_table(row) is table]
    cells = [cell for row in rows for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
    if not cells:
        return True
    if any(child.tag in CELL_BLOCKS for cell in cells for child in cell.iter()
           if child is not cell and isinstance(child.tag, str)):
        return True
    return all(sum(1 for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")) <= 1
               for row in rows)


def _owning_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _code_blocks(tree, placeholder: str) -> list[CodeBlock]:
    blocks = []
    for pre in list(tree.iter("pre")):
        if pre.getparent() is None:
            continue
        for br in list(pre.iter("br")):
            br.tail = "\n" + (br.tail or "")
        code = pre.text_content().strip("\n")
        lines = [line.rstrip() for line in code.split("\n")]
        if not any(line.strip() for line in lines):
            pre.drop_tree()
            continue
        paragraph = lxml_html.Element("p")
        if _can_fence(pre):
            paragraph.text = f"{placeholder}{len(blocks)}"
            blocks.append(CodeBlock(_language_of(pre), "\n".join(lines)))
        else:
            _as_code_spans(paragraph, lines)
        paragraph.tail = pre.tail
        pre.getparent().replace(pre, paragraph)
    return blocks


def _can_fence(pre) -> bool:
    parent = pre.getparent()
    while parent is not None:
        if parent.tag in NO_FENCE_INSIDE:
            return False
        parent = parent.getparent()
    return True


def _language_of(pre) -> str:
    for element in [pre, *pre.iter("code")]:
        match = _LANGUAGE.search(element.get("class", ""))
        if match:
            return match.group(1).lower()
    return ""


def _as_code_spans(paragraph, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            paragraph.append(lxml_html.Element("br"))
        if line.strip():
            code = lxml_html.Element("code")
            indent = len(line) - len(line.lstrip(" "))
            code.text = "\u00a0" * indent + line.lstrip(" ")
            paragraph.append(code)


def _separate_blocks(tree) -> None:
    """Blocks the sanitiser unwraps become paragraphs, or have their loose text wrapped."""
    for element in list(tree.iter(*UNWRAPPED_BLOCKS)):
        if element is tree:
            continue
        if any(_is_block(child) for child in element):
            _wrap_loose_text(element)
        elif element.text_content().strip() or len(element):
            element.tag = "p"
    if any(_is_block(child) for child in tree):
        _wrap_loose_text(tree)


def _wrap_loose_text(container) -> None:
    """Inline runs between the blocks of ``container`` -> one paragraph each."""
    children = list(container)
    new, run = [], None

    def open_run():
        nonlocal run
        if run is None:
            run = lxml_html.Element("p")
            new.append(run)
        return run

    if (container.text or "").strip():
        open_run().text = container.text
    container.text = None
    for child in children:
        tail, child.tail = child.tail, None
        if _is_block(child):
            run = None
            new.append(child)
        else:
            open_run().append(child)
        if (tail or "").strip():
            target = open_run()
            if len(target):
                target[-1].tail = (target[-1].tail or "") + tail
            else:
                target.text = (target.text or "") + tail
    for child in children:
        if child.getparent() is container:
            container.remove(child)
    for node in new:
        container.append(node)
