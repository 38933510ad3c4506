"""Stage 5: a publisher's HTML -> safe Markdown, and feed strings -> plain text.

Order matters, and each step says why it is where it is:
1. ``prepare`` (lxml) removes publisher boilerplate and tracking images, and reshapes what
   Markdown cannot hold as it is (``structure``: code blocks, headings, layout tables, blocks
   the sanitiser would glue); it needs the publisher's classes and structure, so it comes first.
2. ``sanitise_html`` (nh3, an allowlist) is the last HTML step: nothing after it adds markup.
3. ``to_markdown`` (html-to-markdown) escapes every Markdown and HTML character in text,
   then ``_readable_escapes`` turns the escapes Python-Markdown does not know (``\\<``,
   ``\\&``, ``\\=`` ...) into entities, which can only ever show a character, never make one.

A code block standing on its own becomes a fenced block, written by ``CodeBlock.fenced``
after the conversion (the converter never sees the code); inside a list item or a quote it
becomes code spans, because an indented block there depends on the converter and
Python-Markdown agreeing on indentation, and a code span is literal wherever it stands.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import html_to_markdown
import nh3
from lxml import html as lxml_html
from lxml.etree import ParserError

from digest.ingest.boilerplate import DEFAULT_RULES, Rules, strip_boilerplate
from digest.ingest.links import clean_link
from digest.reading_time import count_words
from digest.ingest.images import fill_alt_text, upgraded
from digest.ingest.structure import CodeBlock, restructure

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "figcaption", "figure", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "q", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Tags removed together with their content: their text is never article text.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "applet", "form",
                     "noscript", "template", "svg", "math", "select", "textarea", "button",
                     "frame", "frameset", "noframes", "noembed", "title", "head", "nav"}
# Hosts that serve only counters and ads: an image from them is a tracking pixel.
TRACKER_HOSTS = ("feeds.feedburner.com", "feedproxy.google.com", "feeds.wordpress.com",
                 "pixel.wp.com", "stats.wordpress.com", "doubleclick.net", "googleadservices.com",
                 "google-analytics.com", "googletagmanager.com", "scorecardresearch.com",
                 "quantserve.com", "pixel.quantserve.com", "chartbeat.net", "addthis.com",
                 "feedblitz.com", "rss.buysellads.com", "srv.buysellads.com", "pheedo.com",
                 "mf.feeds.reuters.com", "ad.doubleclick.net", "pi.feedsportal.com",
                 "da.feedsportal.com", "tracking.feedpress.it", "assets.feedblitz.com",
                 "pubads.g.doubleclick.net", "facebook.com", "analytics.twitter.com")
# Characters that would end or bend a Markdown link destination; percent-encoding them
# keeps the URL's meaning and makes ``[text](url)`` unambiguous.
URL_SAFE = "/:?#@!$&*+,;=%~-._"

_MARKDOWN = html_to_markdown.ConversionOptions(
    escape_asterisks=True, escape_underscores=True, escape_misc=True,
    extract_metadata=False, autolinks=False, heading_style="atx",
    preserve_tags=["img"],      # kept as sanitised HTML so it keeps loading="lazy"
    list_indent_width=4,        # Python-Markdown nests list content only at four spaces
)
# The options are turned into the Rust core's once, not on every call (a fifth of the
# conversion time otherwise); html-to-markdown is pinned, the public path is the fallback.
try:
    from html_to_markdown import _html_to_markdown as _rust_core
    from html_to_markdown.api import _to_rust_conversion_options

    _RUST_OPTIONS = _to_rust_conversion_options(_MARKDOWN)

    def _convert(fragment: str) -> str:
        return _rust_core.convert(html=fragment, options=_RUST_OPTIONS, visitor=None).content or ""
except (ImportError, AttributeError, TypeError):       # pragma: no cover (another version)
    def _convert(fragment: str) -> str:
        return html_to_markdown.convert(fragment, _MARKDOWN).content or ""

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ABSOLUTE = re.compile(r"https?://[^/\s]", re.IGNORECASE)
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9/:?#@!$&*+,;=%~\-._]")
_ANY_TAG = re.compile(r"<[^>]*>")
_IMG_TAG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
# A link left with nothing to click once its tracker image or embed is gone.
_EMPTY_LINK = re.compile(r"<a\b[^>]*>(?:\s|&nbsp;|\u00a0)*</a>")
# What a summary never starts from: headings, captions, tables (the sanitiser wrote them).
_NOT_PROSE = re.compile(r"<(h[1-6]|figcaption|table)\b.*?</\1>", re.DOTALL)
_BLOCK_START = re.compile(r"<(/?(?:p|div|li|br|h[1-6]|blockquote|tr|td|th|figcaption|pre)\b)",
                          re.IGNORECASE)
# Backslash escapes Python-Markdown understands (markdown.Markdown.ESCAPED_CHARS, plus "|"
# which the tables extension reads); any other "\x" would show its backslash.
_MARKDOWN_ESCAPES = set("\\`*_{}[]()>#+-.!|")
_CODE_SPAN_OR_ESCAPE = re.compile(r"(?P<code>(?P<ticks>`+).+?(?P=ticks))|\\(?P<char>.)", re.DOTALL)


@dataclass(frozen=True)
class Cleaned:
    """One entry's text, cleaned: safe Markdown to publish, and plain text to measure."""

    markdown: str
    text: str           # plain text of the same content (similarity, reading time)
    prose: str = ""     # the plain text of its paragraphs only (no headings, captions, code)

    @property
    def words(self) -> int:
        return count_words(self.text)


def plain_text(value: str | None, limit: int = 300) -> str:
    """Feed text (titles, names, categories) -> one line of plain text, safe unescaped.

    MkDocs templates do not escape titles, so after tags are stripped and entities decoded,
    the angle brackets left over are replaced by look-alikes that cannot open a tag.
    """
    if not value:
        return ""
    text = value
    if "<" in text or "&" in text:
        text = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
        text = html.unescape(text)
    return one_line(text, limit)


# C0 and C1 control characters (tab, newline and carriage return aside, which are white
# space): they are never text a reader sees, and YAML refuses most of them, so a title or
# category holding one (U+0081, found in real feeds) broke the front matter of its pages.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


def one_line(text: str, limit: int = 300) -> str:
    """Text that is already plain (never parsed as HTML again) -> one safe line."""
    text = _CONTROL_CHARACTERS.sub("", text).replace("<", "‹").replace(">", "›")
    return shorten(_WHITESPACE.sub(" ", text).strip(), limit)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return cut + "…"


def is_tracker(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == tracker or host.endswith("." + tracker) for tracker in TRACKER_HOSTS)


def prepare(fragment: str, rules: Rules = DEFAULT_RULES, placeholder: str = "") -> tuple[str, list[CodeBlock]]:
    """Publisher HTML -> the same HTML without boilerplate or tracking images, reshaped for
    Markdown; the code blocks it took out, each left as a paragraph ``{placeholder}{n}``."""
    fragment = _CONTROL.sub("", fragment)      # never text, and lxml refuses them
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return fragment, []          # the sanitiser still runs on it
    strip_boilerplate(tree, rules)
    _drop_tracking_images(tree)
    fill_alt_text(tree)
    blocks = restructure(tree, placeholder or _placeholder())
    # The text before the first tag is text: lxml decoded its entities, so it is escaped
    # again (or "Use the &lt;div&gt; tag" would lose its tag name to the sanitiser).
    return html.escape(tree.text or "", quote=False) + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in tree), blocks


def _placeholder() -> str:
    # Random per entry, so no entry's text can name another's code block.
    return "DIGESTCODE" + secrets.token_hex(6).upper() + "N"


def _drop_tracking_images(tree) -> None:
    for image in list(tree.iter("img")):
        width, height = image.get("width", "").strip(), image.get("height", "").strip()
        if width in ("0", "1", "1px") or height in ("0", "1", "1px") or is_tracker(image.get("src", "")):
            image.drop_tree()


def sanitise_html(fragment: str, base_url: str = "") -> str:
    """The allowlist sanitiser: the last HTML step. Relative URLs resolve against the entry."""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            value = value.strip()
            absolute = value if _ABSOLUTE.match(value) or not base_url else urljoin(base_url, value)
            scheme = urlsplit(absolute).scheme.lower()
            if scheme not in URL_SCHEMES or (attribute == "src" and scheme == "mailto"):
                return None
            if attribute == "src" and is_tracker(absolute):
                return None
            if attribute == "src":
                absolute = upgraded(absolute)
            absolute = clean_link(absolute)     # our readers' clicks are nobody's campaign
            return quote(absolute, safe=URL_SAFE) if _NEEDS_QUOTING.search(absolute) else absolute
        # alt and title end up inside raw <img> HTML in the Markdown: no brackets at all.
        return value.replace("<", "‹").replace(">", "›").replace("`", "'")

    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        # The reader's visit is nobody's business: no Referer to the publisher's image host.
        set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
        strip_comments=True,
    )
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)     # its src was unsafe or a tracker
    return _EMPTY_LINK.sub("", cleaned)


def to_markdown(safe_html: str) -> str:
    markdown = _convert(safe_html)
    markdown = _IMG_TAG.sub(_canonical_img, _readable_escapes(markdown.strip()))
    return markdown + "\n" if markdown else ""


def _canonical_img(match: re.Match) -> str:
    """The converter writes attributes in no fixed order; posts must not change run to run."""
    attributes = dict(_ATTRIBUTE.findall(match.group(0)))
    kept = [f'{name}="{attributes[name]}"' for name in ("src", "alt", "title") if name in attributes]
    return "<img " + " ".join(kept + ['loading="lazy"', 'referrerpolicy="no-referrer"']) + ">"


def _readable_escapes(markdown: str) -> str:
    """``\\&`` -> ``&amp;`` and the like, outside code spans; known escapes stay."""

    def replace(match: re.Match) -> str:
        char = match.group("char")
        if char is None or char in _MARKDOWN_ESCAPES:
            return match.group(0)
        if char == "\n":
            return "\\\n"
        return html.escape(char) if char in "<>&\"'" else f"&#{ord(char)};"

    return _CODE_SPAN_OR_ESCAPE.sub(replace, markdown)


def html_text(safe_html: str) -> str:
    """Plain text of *sanitised* HTML, paragraphs kept apart by a space.

    Tags can be cut out with a pattern here only because nh3 wrote this HTML: it is
    well-formed, and no ">" is left inside a tag (alt and title had theirs replaced, URLs
    are percent-encoded), so a full HTML parse would find the same text.
    """
    text = _ANY_TAG.sub("", _BLOCK_START.sub(r" <\1", safe_html))
    return _WHITESPACE.sub(" ", html.unescape(text)).strip()


def clean(fragment: str | None, base_url: str = "", rules: Rules = DEFAULT_RULES) -> Cleaned:
    """Publisher HTML -> safe Markdown and its plain text: boilerplate out, sanitise last."""
    if not fragment or not fragment.strip():
        return Cleaned("", "")
    placeholder = _placeholder()
    prepared, blocks = prepare(fragment, rules, placeholder)
    safe = sanitise_html(prepared, base_url)
    markdown, text = to_markdown(safe), html_text(safe)
    prose = html_text(_NOT_PROSE.sub(" ", safe))
    if blocks:
        def fence(match: re.Match) -> str:
            number = int(match.group(1))
            return blocks[number].fenced() if number < len(blocks) else ""

        def code_text(match: re.Match) -> str:
            number = int(match.group(1))
            return blocks[number].code if number < len(blocks) else ""

        markdown = re.sub(rf"^{placeholder}(\d+)$", fence, markdown, flags=re.MULTILINE)
        markdown = re.sub(rf"{placeholder}\d+", "", markdown)   # none left, or posts would differ
        text = _WHITESPACE.sub(" ", re.sub(rf"{placeholder}(\d+)", code_text, text)).strip()
        prose = _WHITESPACE.sub(" ", re.sub(rf"{placeholder}\d+", " ", prose)).strip()
    return Cleaned(markdown, text, prose)

