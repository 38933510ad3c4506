"""Stage 5: a publisher's HTML -> safe Markdown, and feed strings -> plain text.

Order matters: publisher boilerplate is removed first (it needs the full markup), the
allowlist sanitiser runs last on HTML so nothing can undo it, and the converter escapes
every Markdown and HTML character in text so that text can never become markup.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import html_to_markdown
import nh3
from lxml import html as lxml_html
from lxml.etree import ParserError

from digest.boilerplate import strip_boilerplate

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "figcaption", "figure", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content: their text is never article text.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "applet", "form",
                     "noscript", "template", "svg", "math", "select", "textarea", "button"}

_MARKDOWN = html_to_markdown.ConversionOptions(
    escape_asterisks=True, escape_underscores=True, escape_misc=True,
    extract_metadata=False, autolinks=False, heading_style="atx",
    preserve_tags=["img"],      # kept as sanitised HTML so it keeps loading="lazy"
)
_WHITESPACE = re.compile(r"\s+")


def plain_text(value: str | None, limit: int = 300) -> str:
    """Feed text (titles, names, categories) -> one line of plain text, safe unescaped.

    MkDocs templates do not escape titles, so after tags are stripped and entities decoded,
    the angle brackets left over are replaced by look-alikes that cannot open a tag.
    """
    if not value:
        return ""
    text = nh3.clean(value, tags=set(), clean_content_tags=DROP_WITH_CONTENT & {"script", "style"})
    text = html.unescape(text)
    text = text.replace("<", "‹").replace(">", "›")
    text = _WHITESPACE.sub(" ", text).strip()
    return shorten(text, limit)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def sanitise_html(fragment: str, base_url: str = "") -> str:
    """The allowlist sanitiser: the last HTML step. Relative URLs resolve against the entry."""

    def keep_url(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            absolute = urljoin(base_url, value.strip()) if base_url else value.strip()
            scheme = urlsplit(absolute).scheme.lower()
            if scheme not in URL_SCHEMES or (attribute == "src" and scheme == "mailto"):
                return None
            return absolute
        return value

    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_url,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        strip_comments=True,
    )


def to_markdown(safe_html: str) -> str:
    markdown = html_to_markdown.convert(safe_html, _MARKDOWN).content or ""
    return markdown.strip() + "\n" if markdown.strip() else ""


def clean_html(fragment: str, base_url: str = "") -> str:
    """Publisher HTML -> safe Markdown: boilerplate out, sanitise last, then convert."""
    if not fragment or not fragment.strip():
        return ""
    without_boilerplate = strip_boilerplate(fragment)
    return to_markdown(sanitise_html(without_boilerplate, base_url))


def summary_text(fragment: str, limit: int = 280) -> str:
    """A one- or two-line plain-text summary for lists and previews."""
    if not fragment:
        return ""
    try:
        tree = lxml_html.fragment_fromstring(strip_boilerplate(fragment), create_parent="div")
    except (ParserError, ValueError):
        return plain_text(fragment, limit)
    for bad in tree.xpath("//script|//style|//figure|//figcaption"):
        bad.drop_tree()
    for block in tree.iter("p", "div", "li", "br", "h1", "h2", "h3", "h4", "blockquote", "tr"):
        block.tail = " " + (block.tail or "")   # text_content() would glue paragraphs together
    return plain_text(tree.text_content(), limit)
