"""The per-article fragment the theme puts around an article's text: byline, original link,
see-also.

Jinja has no locale-aware date filter, so the date and time in the publication's time zone,
the reading time and the category links are formatted here, in the site's language, and
written to ``overrides/digest-generated/article/<page url>``. The fragment holds three parts
and the theme includes it three times with ``digest_part`` set: "byline" under the title,
"original" after the text, anything else (see-also) after "Also reported by". Python string
methods are not available in Zensical's templates, so the choice is made by the fragment
itself with plain ``if`` tests. Without the fragment (``digest pages`` not run yet) the theme
falls back to the raw front matter.
"""

from __future__ import annotations

import html
import math
import re

from digest.pages import Site, category_src, relative_url, template_safe
from digest.posts import Post

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


def article_fragment(site: Site, post: Post, see_also: str) -> str:
    """The fragment template; every part is already escaped and brace-free (template_safe)."""
    return ('{% if digest_part == "byline" %}\n' + template_safe(byline_html(site, post))
            + '\n{% elif digest_part == "original" %}\n' + template_safe(original_html(site, post))
            + "\n{% else %}\n" + see_also + "{% endif %}\n")
