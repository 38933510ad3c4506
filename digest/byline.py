"""The per-article fragment the theme puts around an article's text: byline and original link.

Jinja has no locale-aware date filter, so the date and time in the publication's time zone,
the reading time and the category links are formatted here, in the site's language, and
written to ``overrides/digest-generated/article/<src>.html``. The theme splits the fragment at
``AFTER_CONTENT``: the first part goes under the title, the rest after the text; the
see-also block ``digest pages`` appends comes after ``AFTER_ORIGINAL``. Without
the fragment (``digest pages`` not run yet) the theme falls back to the raw front matter.
"""

from __future__ import annotations

import html
import math
import re

from digest.pages import Site, category_src, relative_url
from digest.posts import Post

AFTER_CONTENT = "<!-- digest:after-content -->"
AFTER_ORIGINAL = "<!-- digest:after-original -->"   # see-also follows, after "Also reported by"
WORDS_PER_MINUTE = 220
WORD = re.compile(r"\w+")
MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)")   # tags and Markdown link targets are not read


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(WORD.findall(MARKUP.sub(" ", text))) / WORDS_PER_MINUTE))


def is_web_link(url: str) -> bool:
    return url.lower().startswith(("https://", "http://"))


def article_fragment(site: Site, post: Post) -> str:
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
    lines.append(AFTER_CONTENT)
    if is_web_link(post.link):
        source = post.source or site.t("the_source")
        lines.append(f'<p class="digest-original"><a href="{e(post.link)}" rel="noopener" '
                     f'target="_blank">{e(site.t("read_original", source=source))}</a></p>')
    lines.append(AFTER_ORIGINAL)
    return "\n".join(lines) + "\n"
