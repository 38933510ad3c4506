"""How older articles are published once the size budget compacts them (``budget.py``).

A compact article has no page built by the engine; instead it is

- listed on its month's archive page (``archive/2025-01.md``, paginated like every listing),
  with its title, source, date, summary, its story's page and the original's link; the
  archive page links the months;
- answered at its old address by a small page that ``digest publish`` writes after the build
  (title, summary, the original's link, links to its story and its month), from the
  manifest written here (``digest-compact.json`` next to mkdocs.yml, git-ignored), so
  publish does not read the posts again.

A story whose newest report is on a compact day gets no page from ``story_pages`` either:
its address answers with a small page too, its reports one line each (title to its page,
source, day, the original's link).

Every other link to it (day pages, categories, sources, stories, see-also) goes to its
address (``Site.link``), which keeps answering: no link into the site breaks.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from datetime import date as date_type

from digest.site.listings import paged, source_of
from digest.site.locale import Site
from digest.site.markup import language_attributes, md_text
from digest.site.story_pages import StoryView
from digest.site.urls import absolute, is_web_link, month_src, page_url, relative_url
from digest.store.posts import Post

MANIFEST_VERSION = 1


def compact_by_month(site: Site, posts: list[Post]) -> dict[date_type, list[Post]]:
    """The compact posts (newest first, as ``posts`` come) by the first day of their month,
    newest month first."""
    months: dict[date_type, list[Post]] = defaultdict(list)
    for post in posts:
        if post.src in site.compact:
            months[site.day_of(post).replace(day=1)].append(post)
    return dict(sorted(months.items(), reverse=True))


def month_links(site: Site, months: dict[date_type, list[Post]]) -> list[tuple[str, str, int]]:
    """(month's name, its page, how many articles) for the archive page."""
    return [(site.month(month), month_src(month), len(posts)) for month, posts in months.items()]


def archive_line(site: Site, view: StoryView, post: Post, src: str) -> str:
    """One compact article on its month's page: linked title, source and day, summary, then
    its story's page and the original."""
    meta = " · ".join(part for part in (md_text(post.source), md_text(site.short_day(post))) if part)
    attributes = language_attributes(post.language, site.settings.language)
    opening, closing = (f"<span{attributes}>", "</span>") if attributes else ("", "")
    line = f"- {opening}{site.link(md_text(post.title), src, post.src)}{closing} <small>{meta}</small>"
    if post.summary:
        line += f"  \n  {opening}{md_text(post.summary)}{closing}"
    extras = []
    key = view.key(post)
    story = view.page(key)
    if story:
        extras.append(site.link(md_text(site.t("all_reports", count=len(view.members(key)))), src, story))
    if is_web_link(post.link):
        label = site.t("read_original", source=source_of(post, site.settings))
        extras.append(f'<a href="{html.escape(post.link)}" rel="noopener">{md_text(label)}</a>')
    if extras:
        line += "  \n  <small>" + " · ".join(extras) + "</small>"
    return line


def month_pages(site: Site, view: StoryView, months: dict[date_type, list[Post]]) -> dict[str, str]:
    pages = {}
    for month, posts in months.items():
        name = site.t("month_articles", month=site.month(month))
        pages.update(paged(site, name, month_src(month), posts, None,
                           lambda post, src: archive_line(site, view, post, src)))
    return pages


def stub_fields(site: Site, view: StoryView, post: Post) -> dict[str, str]:
    """What the small page at a compact article's address shows, every link relative to it."""
    settings = site.settings
    directory_urls = settings.use_directory_urls
    url = page_url(post.src, directory_urls)
    key = view.key(post)
    story = view.page(key)
    month = month_src(site.day_of(post).replace(day=1))
    source = source_of(post, settings)
    return {
        "url": url,
        "canonical": absolute(settings.site_url, url) if settings.site_url else "",
        "title": post.title,
        "summary": post.summary,
        "source": source,
        "datetime": post.date.isoformat(),
        "when": site.long_day(site.day_of(post)),
        "lang": post.language if language_attributes(post.language, settings.language) else "",
        "link": post.link if is_web_link(post.link) else "",
        "original": site.t("read_original", source=source),
        "story": relative_url(post.src, story, directory_urls) if story else "",
        "story_label": site.t("all_reports", count=len(view.members(key))) if story else "",
        "month": relative_url(post.src, month, directory_urls),
        "month_label": site.t("more_from", month=site.month(site.day_of(post))),
        "home": relative_url(post.src, "index.md", directory_urls),
        "archive": relative_url(post.src, "archive.md", directory_urls),
    }


def story_fields(site: Site, view: StoryView, key: str) -> dict:
    """A compact story's small page: the lead's title and summary, its reports newest first."""
    settings = site.settings
    directory_urls = settings.use_directory_urls
    src = view.page(key)
    url = page_url(src, directory_urls)
    members = view.members(key)
    lead = view.lead(key)
    newest = max(members, key=lambda post: (post.date, post.src))
    first, last = site.day_of(members[0]), site.day_of(newest)
    span = site.long_day(first) + ("" if first == last else " – " + site.long_day(last))
    reports = [{"title": post.title, "href": relative_url(src, post.src, directory_urls),
                "source": source_of(post, settings), "when": site.short_day(post),
                "datetime": post.date.isoformat(),
                "lang": post.language if language_attributes(post.language, settings.language) else "",
                "link": post.link if is_web_link(post.link) else "",
                "original": site.t("read_original", source=source_of(post, settings))}
               for post in reversed(members)]
    return {
        "url": url,
        "canonical": absolute(settings.site_url, url) if settings.site_url else "",
        "title": lead.title, "summary": lead.summary,
        "meta": site.t("sources_count", count=len(view.sources(key))) + " · " + span,
        "reports": reports,
        "month": relative_url(src, month_src(last.replace(day=1)), directory_urls),
        "month_label": site.t("more_from", month=site.month(last)),
        "home": relative_url(src, "index.md", directory_urls),
        "archive": relative_url(src, "archive.md", directory_urls),
    }


def manifest(site: Site, view: StoryView, months: dict[date_type, list[Post]],
             plan: list[str] = (), model_estimate: int = 0) -> str:
    """The manifest ``digest publish`` writes the small pages from: one JSON document, one
    page a line (it is git-ignored, but a line per page keeps a look at it readable); with
    the budget's report lines (``plan``), for publish's report, and the size model's own
    estimate, which publish sets against the measured site (``store.size_record``)."""
    settings = site.settings
    head = {"version": MANIFEST_VERSION, "language": settings.language,
            "site_name": settings.site_name, "note": site.t("compact_note"),
            "archive_label": site.t("archive"), "plan": list(plan),
            "model_estimate": model_estimate}
    pages = [json.dumps(stub_fields(site, view, post), ensure_ascii=False, sort_keys=True)
             for posts in months.values() for post in posts]
    stories = [json.dumps(story_fields(site, view, key), ensure_ascii=False, sort_keys=True)
               for key in sorted(view.stories.stories) if view.page(key) in site.compact]
    opening = json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1]
    return (opening + ', "pages": [\n' + ",\n".join(pages) + '\n], "stories": [\n'
            + ",\n".join(stories) + "\n]}\n")
