"""Text made safe where the site puts it: inert Markdown, Markdown link targets, and markup
inside the Jinja templates that the theme includes (fragments are templates, so a brace from
a feed must never open a tag)."""

from __future__ import annotations

import html
import posixpath

from digest.languages import direction
from digest.site.urls import relative_path


# Each character is replaced once, in one pass (a listing escapes every title and summary).
_MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                             **{char: "\\" + char for char in "\\`*_{}[]()#+-.!|"}})


def md_text(text: str) -> str:
    """Plain text made inert inside Markdown: no emphasis, links, HTML or entities."""
    return text.translate(_MD_ESCAPES)


def md_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one source file to another (MkDocs resolves and checks it)."""
    return relative_path(to_src, posixpath.dirname(from_src) or ".")


def template_safe(markup: str) -> str:
    """Fragments are Jinja templates: braces from feed text must not open a tag."""
    return markup.replace("{", "&#123;").replace("}", "&#125;")


def literal(markup: str) -> str:
    """Markup as a Jinja string literal: single quotes around it, so none inside (our markup
    quotes attributes with double quotes), no backslashes, and no braces (template_safe)."""
    safe = template_safe(markup).replace("\\", "&#92;").replace("'", "&#39;")
    safe = safe.replace("\r", " ").replace("\n", " ")
    return "'" + safe + "'"


def language_attributes(language: str, site_language: str = "") -> str:
    """`` lang="ur" dir="rtl"`` for an article in another language than the site's; "" when
    the page's own ``lang`` already says it (or the article's language is not known)."""
    if not language or language.split("-")[0].lower() == site_language.split("-")[0].lower():
        return ""
    return f' lang="{html.escape(language)}" dir="{direction(language)}"'
