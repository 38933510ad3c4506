"""The pages readers browse by: front page, daily digests, archive, category and source pages.

Written as plain Markdown, so MkDocs only renders and checks the links, the build stays
linear in the number of posts, and Zensical can build the same ``docs/``. Listing pages are
kept out of the search index: they repeat the articles' titles and summaries, which the
articles themselves already put there.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date as date_type, datetime

from digest.config import Settings
from digest.site.locale import Site
from digest.site.markup import language_attributes, md_link, md_text
from digest.site.outputs import add_pages
from digest.site.urls import atom_twin, day_src, is_web_link, paged_src, slug, source_src
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
    line = (f"- {thumbnail(post)}{opening}{site.link(md_text(post.title), from_src, post.src)}"
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


def page(title: str, body: list[str], kind: str = "list", feed: str | None = None,
         toc: bool = True) -> str:
    """A generated listing page: front matter, one ``<h1>``, the body; never in search.
    ``toc=False`` hides the table of contents (the front page's would repeat every headline)."""
    meta = {"title": title, "digest_page": kind, "search": {"exclude": True},
            # The left sidebar would list only the page itself (articles are not in the nav).
            "hide": ["navigation"] + ([] if toc else ["toc"])}
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


def archive_page(site: Site, days: dict[date_type, list[Post]],
                 months: list[tuple[str, str, int]] = ()) -> str:
    """Every day's digest by month; then the months' pages of older articles published
    compact (``compact.py``), when there are any."""
    body, month = [], None
    for day, posts in days.items():
        if site.month(day) != month:
            month = site.month(day)
            body += ["", f"## {md_text(month)}", ""]
        body.append(f"- [{md_text(site.long_day(day))}]({day_src(day)}) ({len(posts)})")
    if months:
        body += ["", f"## {md_text(site.t('compact_months'))}", ""]
        body += [f"- [{md_text(name)}]({src}) ({count})" for name, src, count in months]
    return page(site.t("archive"), body, kind="archive")


def listing_pages(site: Site, name: str, first_src: str, posts: list[Post],
                  feed: str | None = None) -> dict[str, str]:
    """Every article of one source, ``page_size`` per page (``paged`` says how)."""
    return paged(site, name, first_src, posts, feed,
                 lambda post, src: list_item(site, post, src, with_day=True),
                 compact=lambda post: post.src in site.compact)


def page_split(count: int, size: int) -> tuple[int, int]:
    """How ``count`` items fill a listing: (numbered pages, items on the first page).

    Numbered pages are full, ``size`` each; the first page keeps the rest, between ``size``
    and ``2 * size - 1`` once there are that many, so it is never empty or a stub of two
    items the night after a page filled.
    """
    numbered = max(0, count // size - 1)
    return numbered, count - numbered * size


def paged(site: Site, name: str, first_src: str, items: list, feed: str | None, render,
          first_page=None, compact=None) -> dict[str, str]:
    """``items`` (articles, or stories), newest first, ``page_size`` per page, each
    ``render(item, src)``, numbered from the oldest so that old pages keep their content.

    Page 1 (``x/page-1.md``) holds the first ``page_size`` items ever filed, page 2 the next,
    and a numbered page, once made, always holds the same items: a night rewrites the first
    page (``first_src``, the newest items, see ``page_split``) and at most one numbered page,
    the newest, whose "Newer" link moves once to the page made after it. Its label is
    "Page N" without "of M", which would rewrite every page each time one fills. An item
    filed late with an old date (a feed that sends last month's article) would still shift
    the pages after it; feeds send their recent entries, which land on the first page.

    ``first_page(newest, older)``, when given, says what the first page lists, in order, from
    its own items and those of the numbered pages: a category lists a story that was filed
    weeks ago and grew tonight there too, among tonight's (its numbered page keeps it where
    it was filed).

    ``compact(item)``, when given, says an item is published compact (``budget.py``): a
    numbered page of compact items only is not published, since its month's archive page
    lists them already, and at a year of news those pages would weigh a third of a compact
    article. The numbering stays over all items, so the pages that remain keep their numbers
    and content; the links step over the missing pages, and the oldest page left links to the
    archive (its months of compact articles) as "Older". The address of a page left out
    still answers (a bookmark, a search engine), with a line saying where its articles went.
    """
    numbered, first_count = page_split(len(items), site.settings.page_size)
    size = site.settings.page_size

    def members_of(number: int) -> list:
        end = len(items) - (number - 1) * size
        return items[end - size: end]

    kept = [number for number in range(1, numbered + 1)
            if compact is None or not all(compact(item) for item in members_of(number))]
    pages = {}
    for number in [0] + kept:                   # 0: the first page, then 1 (the oldest) on
        src = paged_src(first_src, number)
        body = [""]
        if number == 0:
            if feed:
                # Readers subscribe from here; <link rel="alternate"> tells their feed readers too.
                rss, atom = md_link(src, feed), md_link(src, atom_twin(feed))
                body += [f'<p class="digest-feeds" markdown>{md_text(site.t("feed"))}: [RSS]({rss}) · [Atom]({atom})</p>', ""]
            members = items[:first_count]
            if first_page:
                members = first_page(members, items[first_count:])
        else:
            members = members_of(number)
        body += [render(item, src) for item in members]
        body += nav_block("digest-pagination", page_links(site, first_src, number, kept, numbered))
        title = f"{name} ({site.t('page_number', page=number)})" if number else name
        pages[src] = page(title, body, kind="listing", feed=feed)
    for number in sorted(set(range(1, numbered + 1)) - set(kept)):
        src = paged_src(first_src, number)
        pages[src] = moved_page(site, f"{name} ({site.t('page_number', page=number)})", src, first_src)
    return pages


def moved_page(site: Site, title: str, src: str, first_src: str) -> str:
    """What a numbered page left out (its articles all compact) says at its address."""
    links = [f"[« {md_text(site.t('newest'))}]({md_link(src, first_src)})",
             f"[{md_text(site.t('archive'))} →]({md_link(src, 'archive.md')})"]
    return page(title, ["", md_text(site.t("page_in_archive"))] + nav_block("digest-pagination", links),
                kind="listing")


def page_links(site: Site, first_src: str, number: int, kept: list[int],
               numbered: int) -> list[str]:
    """"Newest", "Newer", "Page N", "Older" for page ``number`` (0: the first page) of a
    listing whose numbered pages are ``kept`` (ascending). Every link targets a page that
    stays: the first page, or a kept numbered page older than this one, or the next kept one,
    which exists. When older pages of the ``numbered`` were left out (``paged``), the oldest
    page left links to the archive instead, whose months list their articles."""
    src = paged_src(first_src, number)

    def link(text: str, target: int) -> str:
        return f"[{text}]({md_link(src, paged_src(first_src, target))})"

    links = []
    if number:
        newer = next((n for n in kept if n > number), 0)
        if newer:
            links.append(link(f"« {md_text(site.t('newest'))}", 0))
        links.append(link(f"← {md_text(site.t('newer'))}", newer))
        links.append(md_text(site.t("page_number", page=number)))
    below = [n for n in kept if n < number or not number]
    if below:
        links.append(link(f"{md_text(site.t('older'))} →", below[-1]))
    elif len(below) < (number - 1 if number else numbered):
        links.append(f"[{md_text(site.t('older'))} →]({md_link(src, 'archive.md')})")
    return links


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


def listing_outputs(site: Site, posts: list[Post], notes: dict[date_type, Note] | None = None,
                    months: list[tuple[str, str, int]] = ()) -> dict[str, str]:
    """The archive and the source pages (a source's articles, one by one), by source path.
    The front page, daily digests and category pages list stories (story_pages.py)."""
    outputs = {"archive.md": archive_page(site, editions(site, posts, notes or {}), months)}
    add_pages(outputs, index_pages(site, posts, "sources", site.t("sources"),
                                   lambda post: (source_of(post, site.settings),), source_src),
              by="source pages")
    return outputs
