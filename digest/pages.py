"""Stage 9: posts -> the pages that list them, the digest's own feed, and see-also fragments.

Everything a reader browses by (front page, daily digests, archive, categories, sources)
is written here as plain Markdown, so MkDocs only renders and checks the links, the build
stays linear in the number of posts, and Zensical can build the same ``docs/``.
Per-article blocks (see-also, follow-ups) go to small HTML fragments that the theme
override includes; text in them is escaped here, and ``{`` too, since they are templates.
"""

from __future__ import annotations

import html
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as date_type
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from slugify import slugify

from digest.config import Settings
from digest.feeds_out import write_digest_feed
from digest.files import write_if_changed
from digest.posts import Post
from digest.related import Links, compute_links

GENERATED_NOTE = "<!-- Written by `digest pages` from the posts: edit the posts, not this file. -->"
FRAGMENTS_DIR = "digest-generated"
UNCATEGORISED = "General"
# The build outputs this module owns; anything else in docs/ belongs to editors.
OWNED = ("index.md", "archive.md", "days", "categories", "sources", "feed.xml")


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
    there = page_url(to_src, directory_urls)
    base = here if here.endswith("/") else posixpath.dirname(here) + "/"
    relative = posixpath.relpath(there or ".", base or ".")
    return relative + "/" if there.endswith("/") and not relative.endswith("/") else relative


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
    return post.categories[0] if post.categories else UNCATEGORISED


def slug(text: str) -> str:
    return slugify(text, max_length=60, word_boundary=True) or "other"


class Site:
    """Formatting that depends on the publication's settings (language, time zone)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.zone = ZoneInfo(settings.timezone)
        self.locale = settings.language.replace("-", "_")

    def day_of(self, post: Post) -> date_type:
        return post.date.astimezone(self.zone).date()

    def long_day(self, day: date_type) -> str:
        return format_date(day, format="full", locale=self.locale)

    def short_day(self, post: Post) -> str:
        return format_date(self.day_of(post), format="medium", locale=self.locale)

    def clock(self, post: Post) -> str:
        return format_time(post.date.astimezone(self.zone), format="short", locale=self.locale)

    def item(self, post: Post, from_src: str, with_day: bool = False) -> str:
        link = posixpath.relpath(post.src, posixpath.dirname(from_src) or ".")
        when = self.short_day(post) + ", " + self.clock(post) if with_day else self.clock(post)
        meta = " · ".join(part for part in (md_text(post.source), when) if part)
        line = f"- [{md_text(post.title)}]({link}) <small>{meta}</small>"
        if post.summary:
            line += f"  \n  {md_text(post.summary)}"
        return line


def by_day(site: Site, posts: list[Post]) -> dict[date_type, list[Post]]:
    days: dict[date_type, list[Post]] = defaultdict(list)
    for post in posts:
        days[site.day_of(post)].append(post)
    return dict(sorted(days.items(), reverse=True))


def grouped_by_category(site: Site, posts: list[Post], from_src: str, level: str) -> list[str]:
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        groups[category_of(post)].append(post)
    lines = []
    for category in sorted(groups, key=str.casefold):
        target = posixpath.relpath(f"categories/{slug(category)}.md", posixpath.dirname(from_src) or ".")
        lines += ["", f"{level} [{md_text(category)}]({target})", ""]
        lines += [site.item(post, from_src) for post in groups[category]]
    return lines


def page(title: str, body: list[str], kind: str = "list") -> str:
    front = f"---\ntitle: {_yaml_text(title)}\ndigest_page: {kind}\n---\n"
    return front + GENERATED_NOTE + "\n\n# " + md_text(title) + "\n" + "\n".join(body).rstrip() + "\n"


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def day_src(day: date_type) -> str:
    return f"days/{day:%Y-%m-%d}.md"


def front_page(site: Site, days: dict[date_type, list[Post]]) -> str:
    body = []
    shown = list(days.items())[: site.settings.front_page_days]
    for day, posts in shown:
        link = day_src(day)
        body += ["", f"## [{md_text(site.long_day(day))}]({link})"]
        body += grouped_by_category(site, posts, "index.md", "###")
    if not days:
        body.append("No articles yet: run `digest fetch`.")
    body += ["", "[All days in the archive](archive.md)"]
    return page(site.settings.site_name, body, kind="front")


def day_page(site: Site, day: date_type, posts: list[Post], newer: date_type | None,
             older: date_type | None) -> str:
    src = day_src(day)
    body = grouped_by_category(site, posts, src, "##")
    nav = []
    if older:
        nav.append(f"[← {md_text(site.long_day(older))}]({posixpath.basename(day_src(older))})")
    if newer:
        nav.append(f"[{md_text(site.long_day(newer))} →]({posixpath.basename(day_src(newer))})")
    if nav:
        body += ["", '<nav class="digest-day-nav" markdown>', "", " · ".join(nav), "", "</nav>"]
    return page(f"Digest, {site.long_day(day)}", body)


def archive_page(site: Site, days: dict[date_type, list[Post]]) -> str:
    body, month = [], None
    for day, posts in days.items():
        label = format_date(day, format="LLLL y", locale=site.locale)
        if label != month:
            body += ["", f"## {md_text(label)}", ""]
            month = label
        body.append(f"- [{md_text(site.long_day(day))}]({day_src(day)}) ({len(posts)})")
    return page("Archive", body)


def index_pages(site: Site, posts: list[Post], folder: str, title: str, key) -> dict[str, str]:
    """One page per category (or source), newest first, and an index of them."""
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        groups[key(post)].append(post)
    pages, index = {}, []
    for name in sorted(groups, key=str.casefold):
        src = f"{folder}/{slug(name)}.md"
        pages[src] = page(name, [""] + [site.item(post, src, with_day=True) for post in groups[name]])
        index.append(f"- [{md_text(name)}]({slug(name)}.md) ({len(groups[name])})")
    pages[f"{folder}/index.md"] = page(title, [""] + index)
    return pages


def see_also_fragment(site: Site, post: Post, by_src: dict[str, Post], links: Links) -> str:
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
        meta = " · ".join(part for part in (other.source, site.short_day(other)) if part)
        items.append(f'<li><a href="{html.escape(href)}">{html.escape(other.title)}</a> '
                     f'<span class="digest-meta">{html.escape(meta)}</span></li>')
    return (f'<nav class="{css}" aria-label="{heading}">\n<h2>{heading}</h2>\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</nav>\n")


def build_pages(settings: Settings, posts: list[Post]) -> PagesReport:
    """Write every listing page, fragment and feed; remove the ones no longer produced."""
    site = Site(settings)
    days = by_day(site, posts)
    outputs: dict[Path, str] = {}
    docs = settings.docs_dir
    outputs[docs / "index.md"] = front_page(site, days)
    outputs[docs / "archive.md"] = archive_page(site, days)
    day_list = list(days)
    for position, (day, day_posts) in enumerate(days.items()):
        newer = day_list[position - 1] if position > 0 else None
        older = day_list[position + 1] if position + 1 < len(day_list) else None
        outputs[docs / day_src(day)] = day_page(site, day, day_posts, newer, older)
    for src, text in index_pages(site, posts, "categories", "Categories", category_of).items():
        outputs[docs / src] = text
    for src, text in index_pages(site, posts, "sources", "Sources",
                                 lambda post: post.source or settings.site_name).items():
        outputs[docs / src] = text
    outputs[docs / "feed.xml"] = write_digest_feed(settings, posts)
    links = compute_links(posts, settings.see_also, settings.min_similarity)
    by_src = {post.src: post for post in posts}
    fragments = _fragments_root(settings)
    if fragments is not None:
        for post in posts:
            fragment = see_also_fragment(site, post, by_src, links)
            if fragment:
                outputs[fragments / "see-also" / (post.src + ".html")] = fragment
    return _write_outputs(settings, outputs, fragments)


def _fragments_root(settings: Settings) -> Path | None:
    return settings.custom_dir / FRAGMENTS_DIR if settings.custom_dir else None


def _write_outputs(settings: Settings, outputs: dict[Path, str], fragments: Path | None) -> PagesReport:
    report = PagesReport()
    for path, text in outputs.items():
        if write_if_changed(path, text):
            report.written += 1
        else:
            report.unchanged += 1
    owned_dirs = [settings.docs_dir / name for name in ("days", "categories", "sources")]
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
