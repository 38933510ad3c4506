"""What the theme puts around an article's text: byline, original link, see-also.

Jinja has no locale-aware date filter, so the date and time in the publication's time zone,
the reading time and the category links are formatted here, in the site's language.

MkDocs compiles every file a template includes, about a millisecond of CPU each: one file
per article cost a third of the whole build at 5,000 articles. So the parts of all articles
whose URLs share a day's prefix (``posts/2026/11/23/``) go into one template, a dict from
page URL to the three parts, compiled once per day. The theme includes it three times with
``digest_part`` set (0 byline, 1 original link, 2 see-also). Zensical's templates have no
Python string methods, so the theme finds the file with a slice of ``page.url`` only.
Without the file (``digest pages`` not run yet) the theme falls back to the raw front matter.
"""

from __future__ import annotations

import html
import math
import re

from digest.site.pages import Site, category_src, relative_url, template_safe
from digest.store.posts import Post

WORDS_PER_MINUTE = 220
WORD = re.compile(r"\w+")
MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)")   # tags and Markdown link targets are not read


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(WORD.findall(MARKUP.sub(" ", text))) / WORDS_PER_MINUTE))


def is_web_link(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


def byline_html(site: Site, post: Post) -> str:
    e = html.escape
    parts = []
    if post.source:
        parts.append(f'<span class="digest-source">{e(post.source)}</span>')
    if post.author and post.author != post.source:
        parts.append(f'<span class="digest-author">{e(site.t("by", author=post.author))}</span>')
    parts.append(f'<time datetime="{e(post.date.isoformat())}">{e(site.date_and_time(post))}</time>')
    parts.append(f'<span class="digest-reading-time">'
                 f'{e(site.t("reading_time", minutes=reading_minutes(post.text)))}</span>')
    lines = ['<p class="digest-byline">' + " ".join(parts) + "</p>"]
    if post.categories:
        links = ", ".join(
            f'<a href="{e(relative_url(post.src, category_src(name), site.settings.use_directory_urls))}">'
            f"{e(name)}</a>" for name in post.categories)
        lines.append(f'<p class="digest-categories">{e(site.t("filed_under"))}: {links}</p>')
    return "\n".join(lines)


def original_html(site: Site, post: Post) -> str:
    if not is_web_link(post.link):
        return ""
    source = post.source or site.t("the_source")
    return (f'<p class="digest-original"><a href="{html.escape(post.link)}" rel="noopener" '
            f'target="_blank">{html.escape(site.t("read_original", source=source))}</a></p>')


def group_of(url: str, posts_dir: str) -> str:
    """The URL prefix articles share a fragment file by: ``posts/YYYY/MM/DD/``; the theme
    takes the same slice of ``page.url``."""
    return url[: len(posts_dir) + len("/YYYY/MM/DD/")]


def fragments_path(url: str, posts_dir: str) -> str:
    return group_of(url, posts_dir) + "_.html"


def literal(markup: str) -> str:
    """Markup as a Jinja string literal: single quotes around it, so none inside (our markup
    quotes attributes with double quotes), no backslashes, and no braces (template_safe)."""
    safe = template_safe(markup).replace("\\", "&#92;").replace("'", "&#39;")
    safe = safe.replace("\r", " ").replace("\n", " ")
    return "'" + safe + "'"


def fragments_template(parts: dict[str, tuple[str, str, str]]) -> str:
    """One day's fragment file: page URL -> (byline, original link, see-also)."""
    entries = ",\n".join(f"{literal(url)}: [{', '.join(literal(part) for part in three)}]"
                          for url, three in sorted(parts.items()))
    return ("{%- set parts = {\n" + entries + "\n} -%}\n"
            "{%- if page.url in parts %}{{ parts[page.url][digest_part] }}{% endif -%}\n")
