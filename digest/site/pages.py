"""Stage 9: posts -> the pages that list them, the digest's own feeds, and per-article fragments.

Everything a reader browses by (front page, daily digests, archive, categories, sources)
is written here as plain Markdown, so MkDocs only renders and checks the links, the build
stays linear in the number of posts, and Zensical can build the same ``docs/``.
Per-article blocks (byline, original link, see-also, follow-ups) go to fragment templates,
one per day of articles, that the theme override includes; text in them is escaped here,
and ``{`` too, since they are templates.
Listing pages are kept out of the search index: they repeat the articles' titles and
summaries, which the articles themselves already put there.
"""

from __future__ import annotations

import html
import math
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as date_type, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time
from slugify import slugify

from digest.config import Settings
from digest.site.feeds import feed_files
from digest.store.files import write_if_changed
from digest.site.labels import label
from digest.store.posts import Post
from digest.site.related import Links, compute_links

GENERATED_NOTE = "<!-- Written by `digest pages` from the posts: edit the posts, not this file. -->"
FRAGMENTS_DIR = "digest-generated"
UNCATEGORISED = "General"
# The build outputs this module owns; anything else in docs/ belongs to editors.
OWNED = ("index.md", "archive.md", "days", "categories", "sources", "feed.xml", "atom.xml", "feeds")
OWNED_DIRS = ("days", "categories", "sources", "feeds")


@dataclass
class PagesReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL path (relative to the site root) MkDocs gives the page built from ``src``."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if directory_urls else stem + ".html"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    here = page_url(from_src, directory_urls)
    there = page_url(to_src, directory_urls) if to_src.endswith(".md") else to_src
    base = here if here.endswith("/") else posixpath.dirname(here) + "/"
    relative = posixpath.relpath(there or ".", base or ".")
    return relative + "/" if there.endswith("/") and not relative.endswith("/") else relative


def md_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one source file to another (MkDocs resolves and checks it)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def md_text(text: str) -> str:
    """Plain text made inert inside Markdown: no emphasis, links, HTML or entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_{}[]()#+-.!|":
        text = text.replace(char, "\\" + char)
    return text


def template_safe(markup: str) -> str:
    """Fragments are Jinja templates: braces from feed text must not open a tag."""
    return markup.replace("{", "&#123;").replace("}", "&#125;")


def category_of(post: Post) -> str:
    """The category a post is grouped under in daily digests (its first)."""
    return post.categories[0] if post.categories else UNCATEGORISED


def categories_of(post: Post) -> tuple[str, ...]:
    return post.categories or (UNCATEGORISED,)


def source_of(post: Post, settings: Settings) -> str:
    return post.source or settings.site_name


def slug(text: str) -> str:
    return slugify(text, max_length=60, word_boundary=True) or "other"


def category_src(category: str) -> str:
    return f"categories/{slug(category)}.md"


def source_src(source: str) -> str:
    return f"sources/{slug(source)}.md"


def day_src(day: date_type) -> str:
    return f"days/{day:%Y-%m-%d}.md"


def date_locale(language: str, regional: str) -> str:
    """``locale`` refines ``theme.language`` (en_GB for British dates) but never overrides it:
    switching a site to German must not leave its dates in British English."""
    language = language.replace("-", "_")
    regional = regional.replace("-", "_")
    same = regional.split("_")[0].lower() == language.split("_")[0].lower()
    return regional if regional and same else language


# Babel takes tens of microseconds per call and every article is listed four or five times
# (day, categories, source, byline): format each day and each minute once.
@lru_cache(maxsize=None)
def _date(day: date_type, form: str, locale: str) -> str:
    return format_date(day, format=form, locale=locale)


@lru_cache(maxsize=None)
def _clock(hour: int, minute: int, locale: str) -> str:
    return format_time(time(hour, minute), format="short", locale=locale)


class Site:
    """Formatting that depends on the publication's settings (language, locale, time zone)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.zone = ZoneInfo(settings.timezone)
        self.language = settings.language
        self.locale = date_locale(settings.language, settings.locale)

    def t(self, key: str, **values) -> str:
        return label(self.language, key, **values)

    def day_of(self, post: Post) -> date_type:
        return post.date.astimezone(self.zone).date()

    def long_day(self, day: date_type) -> str:
        return _date(day, "full", self.locale)

    def month(self, day: date_type) -> str:
        return format_skeleton("yMMMM", day, locale=self.locale)

    def short_day(self, post: Post) -> str:
        return _date(self.day_of(post), "medium", self.locale)

    def clock(self, post: Post) -> str:
        local = post.date.astimezone(self.zone)
        return _clock(local.hour, local.minute, self.locale)

    def date_and_time(self, post: Post) -> str:
        return self.long_day(self.day_of(post)) + ", " + self.clock(post)

    def item(self, post: Post, from_src: str, with_day: bool = False) -> str:
        """One article in a list: linked title, source and time, then its summary."""
        when = self.short_day(post) + ", " + self.clock(post) if with_day else self.clock(post)
        meta = " · ".join(part for part in (md_text(post.source), when) if part)
        line = f"- [{md_text(post.title)}]({md_link(from_src, post.src)}) <small>{meta}</small>"
        if post.summary:
            line += f"  \n  {md_text(post.summary)}"
        return line


def by_day(site: Site, posts: list[Post]) -> dict[date_type, list[Post]]:
    days: dict[date_type, list[Post]] = defaultdict(list)
    for post in posts:
        days[site.day_of(post)].append(post)
    return dict(sorted(days.items(), reverse=True))


def grouped_by_category(site: Site, posts: list[Post], from_src: str, level: str) -> list[str]:
    lines = []
    for category, members in groups_by_slug(posts, lambda post: (category_of(post),)).values():
        target = md_link(from_src, category_src(category))
        lines += ["", f"{level} [{md_text(category)}]({target})", ""]
        lines += [site.item(post, from_src) for post in members]
    return lines


def page(title: str, body: list[str], kind: str = "list", feed: str | None = None) -> str:
    """A generated listing page: front matter, one ``<h1>``, the body; never in search."""
    # The left sidebar would list only the page itself (articles are not in the nav).
    front = [f"title: {_yaml_text(title)}", f"digest_page: {kind}", "search:", "  exclude: true",
             "hide:", "  - navigation"]
    if feed:
        front.append(f"digest_feed: {_yaml_text(feed)}")
    return ("---\n" + "\n".join(front) + "\n---\n" + GENERATED_NOTE + "\n\n# " + md_text(title)
            + "\n" + "\n".join(body).rstrip() + "\n")


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def nav_block(css: str, links: list[str]) -> list[str]:
    if not links:
        return []
    return ["", f'<nav class="{css}" markdown>', "", " · ".join(links), "", "</nav>"]


def front_page(site: Site, days: dict[date_type, list[Post]]) -> str:
    body = []
    for day, posts in list(days.items())[: site.settings.front_page_days]:
        body += ["", f"## [{md_text(site.long_day(day))}]({day_src(day)})"]
        body += grouped_by_category(site, posts, "index.md", "###")
    if not days:
        body += ["", site.t("no_articles")]
    body += ["", f"[{md_text(site.t('all_days'))}](archive.md)"]
    return page(site.settings.site_name, body, kind="front")


def day_page(site: Site, day: date_type, posts: list[Post], newer: date_type | None,
             older: date_type | None) -> str:
    src = day_src(day)
    body = grouped_by_category(site, posts, src, "##")
    links = []
    if older:
        links.append(f"[← {md_text(site.long_day(older))}]({md_link(src, day_src(older))})")
    links.append(f"[{md_text(site.t('archive'))}]({md_link(src, 'archive.md')})")
    if newer:
        links.append(f"[{md_text(site.long_day(newer))} →]({md_link(src, day_src(newer))})")
    body += nav_block("digest-day-nav", links)
    return page(site.t("digest_of", day=site.long_day(day)), body, kind="day")


def archive_page(site: Site, days: dict[date_type, list[Post]]) -> str:
    body, month = [], None
    for day, posts in days.items():
        if site.month(day) != month:
            month = site.month(day)
            body += ["", f"## {md_text(month)}", ""]
        body.append(f"- [{md_text(site.long_day(day))}]({day_src(day)}) ({len(posts)})")
    return page(site.t("archive"), body, kind="archive")


def paged_src(first_src: str, number: int) -> str:
    """Page 1 of a listing is ``categories/x.md``; page 2 is ``categories/x/page-2.md``."""
    return first_src if number == 1 else f"{first_src[:-3]}/page-{number}.md"


def listing_pages(site: Site, name: str, first_src: str, posts: list[Post],
                  feed: str | None = None) -> dict[str, str]:
    """Every article of one category or source, newest first, ``page_size`` per page."""
    size = site.settings.page_size
    count = max(1, math.ceil(len(posts) / size))
    pages = {}
    for number in range(1, count + 1):
        src = paged_src(first_src, number)
        body = [""]
        if feed and number == 1:
            # Readers subscribe from here; <link rel="alternate"> tells their feed readers too.
            rss, atom = md_link(src, feed), md_link(src, feed[:-4] + ".atom")
            body += [f'<p class="digest-feeds" markdown>{md_text(site.t("feed"))}: [RSS]({rss}) · [Atom]({atom})</p>', ""]
        body += [site.item(post, src, with_day=True)
                 for post in posts[(number - 1) * size: number * size]]
        links = []
        if number > 1:
            links.append(f"[← {md_text(site.t('newer'))}]({md_link(src, paged_src(first_src, number - 1))})")
        if count > 1:
            links.append(md_text(site.t("page_of", page=number, pages=count)))
        if number < count:
            links.append(f"[{md_text(site.t('older'))} →]({md_link(src, paged_src(first_src, number + 1))})")
        body += nav_block("digest-pagination", links)
        title = name if number == 1 else f"{name} ({site.t('page_of', page=number, pages=count)})"
        pages[src] = page(title, body, kind="listing", feed=feed)
    return pages


def groups_by_slug(posts: list[Post], names_of) -> dict[str, tuple[str, list[Post]]]:
    """Posts grouped by the slug of each name ``names_of(post)`` gives, sorted by name.

    By slug, not by name: "Sport" and "sport" from two feeds would otherwise write the same
    page twice; the group keeps the first spelling seen (posts come newest first).
    """
    groups: dict[str, tuple[str, list[Post]]] = {}
    for post in posts:
        for name in names_of(post):
            groups.setdefault(slug(name), (name, []))[1].append(post)
    return dict(sorted(groups.items(), key=lambda item: item[1][0].casefold()))


def index_pages(site: Site, posts: list[Post], folder: str, title: str, names_of, src_of,
                with_feeds: bool = False) -> dict[str, str]:
    """One paginated listing per category (or source), and an index of them.

    ``names_of(post)`` gives every group a post belongs to: an article filed under two
    categories is listed on both pages, as its byline links to both.
    """
    pages, index = {}, []
    for name, members in groups_by_slug(posts, names_of).values():
        first = src_of(name)
        feed = f"feeds/{slug(name)}.xml" if with_feeds else None
        pages.update(listing_pages(site, name, first, members, feed))
        index.append(f"- [{md_text(name)}]({md_link(f'{folder}/index.md', first)}) ({len(members)})")
    pages[f"{folder}/index.md"] = page(title, [""] + index, kind="index")
    return pages


def see_also_fragment(site: Site, post: Post, by_src: dict[str, Post], links: Links) -> str:
    """The "See also" and "Follow-up coverage" blocks of one article.

    An editor's ``see_also`` (paths under docs/) is shown as given, in its order, and then no
    computed link appears on that page: an editor who empties the list (an obituary, a
    correction) wants no automatic links at all. A path that is not a post is left out here
    (``digest check`` reports it) so the page never carries a dead link.
    """
    pinned = post.see_also is not None
    related = [src for src in (post.see_also if pinned else links.see_also.get(post.src, ()))
               if src in by_src and src != post.src]
    later = [] if pinned else [src for src in links.follow_ups.get(post.src, ())]
    parts = []
    if related:
        parts.append(_link_list(site, post, related, by_src, "digest-see-also", "See also"))
    if later:
        parts.append(_link_list(site, post, later, by_src, "digest-follow-up", "Follow-up coverage"))
    return template_safe("\n".join(parts))


def _link_list(site: Site, post: Post, srcs, by_src, css: str, heading: str) -> str:
    items = []
    for src in srcs:
        other = by_src[src]
        href = relative_url(post.src, src, site.settings.use_directory_urls)
        # An editor's own post has no source: it is the publication's.
        source = other.source or site.settings.site_name
        when = (f'<time datetime="{html.escape(other.date.isoformat())}">'
                f'{html.escape(site.short_day(other))}</time>')
        items.append(f'<li><a href="{html.escape(href)}">{html.escape(other.title)}</a> '
                     f'<span class="digest-meta">{html.escape(source)} · {when}</span></li>')
    return (f'<nav class="{css}" aria-label="{heading}">\n<h2>{heading}</h2>\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</nav>\n")


def build_pages(settings: Settings, posts: list[Post]) -> PagesReport:
    """Write every listing page, fragment and feed; remove the ones no longer produced."""
    site = Site(settings)
    docs = settings.docs_dir
    outputs: dict[Path, str] = {}
    for src, text in listing_outputs(site, posts).items():
        outputs[docs / src] = text
    by_category = dict(groups_by_slug(posts, categories_of).values())
    for path, text in feed_files(settings, posts, by_category, slug).items():
        outputs[docs / path] = text
    fragments = _fragments_root(settings)
    if fragments is not None:
        for path, text in fragment_outputs(site, posts).items():
            outputs[fragments / path] = text
    return _write_outputs(settings, outputs, fragments)


def listing_outputs(site: Site, posts: list[Post]) -> dict[str, str]:
    """Front page, archive, one page per day, per category and per source, by source path."""
    days = by_day(site, posts)
    outputs = {"index.md": front_page(site, days), "archive.md": archive_page(site, days)}
    day_list = list(days)
    for position, (day, day_posts) in enumerate(days.items()):
        newer = day_list[position - 1] if position > 0 else None
        older = day_list[position + 1] if position + 1 < len(day_list) else None
        outputs[day_src(day)] = day_page(site, day, day_posts, newer, older)
    outputs.update(index_pages(site, posts, "categories", site.t("categories"), categories_of,
                               category_src, with_feeds=True))
    outputs.update(index_pages(site, posts, "sources", site.t("sources"),
                               lambda post: (source_of(post, site.settings),), source_src))
    return outputs


def fragment_outputs(site: Site, posts: list[Post]) -> dict[str, str]:
    """The article fragments (byline, original link, see-also), one file per day of URLs,
    under the theme's ``digest-generated/article/`` (see digest/byline.py for why)."""
    from digest.site.fragments import byline_html, fragments_path, fragments_template, original_html

    links = compute_links(posts, site.settings.see_also, site.settings.min_similarity)
    by_src = {post.src: post for post in posts}
    groups: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
    for post in posts:
        url = page_url(post.src, site.settings.use_directory_urls)
        groups[fragments_path(url, site.settings.posts_dir)][url] = (
            byline_html(site, post), original_html(site, post),
            see_also_fragment(site, post, by_src, links))
    return {"article/" + path: fragments_template(parts) for path, parts in groups.items()}


def _fragments_root(settings: Settings) -> Path | None:
    return settings.custom_dir / FRAGMENTS_DIR if settings.custom_dir else None


def _write_outputs(settings: Settings, outputs: dict[Path, str], fragments: Path | None) -> PagesReport:
    report = PagesReport()
    for path, text in outputs.items():
        if write_if_changed(path, text):
            report.written += 1
        else:
            report.unchanged += 1
    owned_dirs = [settings.docs_dir / name for name in OWNED_DIRS]
    if fragments is not None:
        owned_dirs.append(fragments)
    for folder in owned_dirs:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path not in outputs:
                path.unlink()
                report.removed += 1
    return report
