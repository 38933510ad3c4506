"""The pages readers browse by: front page, daily digests, archive, category and source pages.

Written as plain Markdown, so MkDocs only renders and checks the links, the build stays
linear in the number of posts, and Zensical can build the same ``docs/``. Listing pages are
kept out of the search index: they repeat the articles' titles and summaries, which the
articles themselves already put there.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from datetime import date as date_type, datetime

from digest.config import Settings
from digest.site.locale import Site
from digest.site.markup import language_attributes, md_link, md_text
from digest.site.notes import note_block
from digest.site.outputs import add_pages
from digest.site.picks import picks_of
from digest.site.urls import (atom_twin, category_feed, category_src, day_src, is_web_link, paged_src,
                              slug, source_src)
from digest.store import frontmatter
from digest.store.notes import Note
from digest.store.posts import Post

GENERATED_NOTE = "<!-- Written by `digest pages` from the posts: edit the posts, not this file. -->"
UNCATEGORISED = "General"


def category_of(post: Post) -> str:
    """The category a post is grouped under in daily digests (its first)."""
    return post.categories[0] if post.categories else UNCATEGORISED


def categories_of(post: Post) -> tuple[str, ...]:
    return post.categories or (UNCATEGORISED,)


def source_of(post: Post, settings: Settings) -> str:
    return post.source or settings.site_name


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


def by_day(site: Site, posts: list[Post]) -> dict[date_type, list[Post]]:
    days: dict[date_type, list[Post]] = defaultdict(list)
    for post in posts:
        days[site.day_of(post)].append(post)
    return dict(sorted(days.items(), reverse=True))


def list_item(site: Site, post: Post, from_src: str, with_day: bool = False) -> str:
    """One article in a list: its thumbnail, linked title, source and time, then its summary;
    in the article's own language and direction (an Urdu title reads right to left)."""
    if post.date_guessed:            # the day it was found, not its own: no time to show
        when = site.t("date_unknown")
    else:
        when = site.short_day(post) + ", " + site.clock(post) if with_day else site.clock(post)
    meta = " · ".join(part for part in (md_text(post.source), when) if part)
    attributes = language_attributes(post.language, site.settings.language)
    opening, closing = (f"<span{attributes}>", "</span>") if attributes else ("", "")
    line = (f"- {thumbnail(post)}{opening}[{md_text(post.title)}]({md_link(from_src, post.src)})"
            f"{closing} <small>{meta}</small>")
    if post.summary:
        line += f"  \n  {opening}{md_text(post.summary)}{closing}"
    return line


def thumbnail(post: Post) -> str:
    """The lead image, hotlinked without a referrer (digest/ingest/images.py says why); its
    alt is empty because the title beside it says what the story is."""
    if not is_web_link(post.image):
        return ""
    return (f'<img class="digest-thumb" src="{html.escape(post.image, quote=True)}" alt="" '
            'loading="lazy" referrerpolicy="no-referrer"> ')


def grouped_by_category(site: Site, posts: list[Post], from_src: str, level: str) -> list[str]:
    """The day's top stories (editors' picks) first, then the rest of its posts by category;
    those whose feed gave no date come last, apart: the day is only when we found them, so
    they are not that day's news."""
    lines = []
    picks = picks_of(posts)
    if picks:
        lines += ["", f"{level} {md_text(site.t('top_stories'))}", ""]
        lines += [list_item(site, post, from_src) for post in picks]
    rest = [post for post in posts if not post.featured and not post.date_guessed]
    for category, members in groups_by_slug(rest, lambda post: (category_of(post),)).values():
        target = md_link(from_src, category_src(category))
        lines += ["", f"{level} [{md_text(category)}]({target})", ""]
        lines += [list_item(site, post, from_src) for post in members]
    undated = [post for post in posts if post.date_guessed and not post.featured]
    if undated:
        lines += ["", f"{level} {md_text(site.t('undated'))}", ""]
        lines += [list_item(site, post, from_src) for post in undated]
    return lines


def page(title: str, body: list[str], kind: str = "list", feed: str | None = None) -> str:
    """A generated listing page: front matter, one ``<h1>``, the body; never in search."""
    meta = {"title": title, "digest_page": kind, "search": {"exclude": True},
            # The left sidebar would list only the page itself (articles are not in the nav).
            "hide": ["navigation"]}
    if feed:
        # The theme announces the page's own feeds to feed readers (<link rel="alternate">).
        meta.update(digest_feed=feed, digest_atom=atom_twin(feed))
    return frontmatter.dump(meta, GENERATED_NOTE + "\n\n# " + md_text(title) + "\n"
                            + "\n".join(body).rstrip() + "\n")


def nav_block(css: str, links: list[str]) -> list[str]:
    if not links:
        return []
    return ["", f'<nav class="{css}" markdown>', "", " · ".join(links), "", "</nav>"]


def editions(site: Site, posts: list[Post], notes: dict[date_type, Note]) -> dict[date_type, list[Post]]:
    """Every day with posts or an editor's note, newest first. A note for a day still to
    come waits for its day: it must not lead the front page the evening before."""
    days = by_day(site, posts)
    today = datetime.now(site.zone).date()
    for day in notes:
        if day <= today:
            days.setdefault(day, [])
    return dict(sorted(days.items(), reverse=True))


def front_page(site: Site, days: dict[date_type, list[Post]],
               notes: dict[date_type, Note] | None = None) -> str:
    """The latest editions; the newest one's editor's note, if it has one, leads the page."""
    body = []
    latest = next(iter(days), None)
    if notes and latest in notes:
        body += note_block(site, notes[latest], "index.md", "##")
    for day, posts in list(days.items())[: site.settings.front_page_days]:
        body += ["", f"## [{md_text(site.long_day(day))}]({day_src(day)})"]
        body += grouped_by_category(site, posts, "index.md", "###")
    if not days:
        body += ["", site.t("no_articles")]
    body += ["", f"[{md_text(site.t('all_days'))}](archive.md)"]
    return page(site.settings.site_name, body, kind="front")


def day_page(site: Site, day: date_type, posts: list[Post], newer: date_type | None,
             older: date_type | None, note: Note | None = None) -> str:
    src = day_src(day)
    body = note_block(site, note, src, "##") if note else []
    body += grouped_by_category(site, posts, src, "##") if posts else ["", site.t("no_articles")]
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
            rss, atom = md_link(src, feed), md_link(src, atom_twin(feed))
            body += [f'<p class="digest-feeds" markdown>{md_text(site.t("feed"))}: [RSS]({rss}) · [Atom]({atom})</p>', ""]
        body += [list_item(site, post, src, with_day=True)
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


def index_pages(site: Site, posts: list[Post], folder: str, title: str, names_of, src_of,
                feed_of=None) -> dict[str, str]:
    """One paginated listing per category (or source), and an index of them.

    ``names_of(post)`` gives every group a post belongs to: an article filed under two
    categories is listed on both pages, as its byline links to both. ``feed_of(name)`` is
    the group's own feed, announced on its first page.
    """
    pages, index = {}, []
    for name, members in groups_by_slug(posts, names_of).values():
        first = src_of(name)
        add_pages(pages, listing_pages(site, name, first, members, feed_of(name) if feed_of else None),
                  by=f'the page of "{name}"')
        index.append(f"- [{md_text(name)}]({md_link(f'{folder}/index.md', first)}) ({len(members)})")
    add_pages(pages, {f"{folder}/index.md": page(title, [""] + index, kind="index")},
              by=f"the index of {folder}")
    return pages


def listing_outputs(site: Site, posts: list[Post],
                    notes: dict[date_type, Note] | None = None) -> dict[str, str]:
    """Front page, archive, one page per day, per category and per source, by source path."""
    notes = notes or {}
    days = editions(site, posts, notes)
    outputs = {"index.md": front_page(site, days, notes), "archive.md": archive_page(site, days)}
    day_list = list(days)
    for position, (day, day_posts) in enumerate(days.items()):
        newer = day_list[position - 1] if position > 0 else None
        older = day_list[position + 1] if position + 1 < len(day_list) else None
        outputs[day_src(day)] = day_page(site, day, day_posts, newer, older, notes.get(day))
    add_pages(outputs, index_pages(site, posts, "categories", site.t("categories"), categories_of,
                                   category_src, feed_of=category_feed), by="category pages")
    add_pages(outputs, index_pages(site, posts, "sources", site.t("sources"),
                                   lambda post: (source_of(post, site.settings),), source_src),
              by="source pages")
    return outputs
