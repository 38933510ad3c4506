"""What the theme puts around an article's text: byline, original link, see-also.

The date and time in the publication's time zone, the reading time and the category links
are formatted here, in the site's language; text is escaped here, and ``{`` too, since the
fragments are templates.

MkDocs compiles every file a template includes, about a millisecond of CPU each: one file
per article cost a third of the whole build at 5,000 articles. So the parts of all articles
whose URLs share a day's prefix (``posts/2026/11/23/``, ``urls.fragment_group``) go into one
template, a dict from page URL to the parts, compiled once per day. The theme includes
it with ``digest_part`` set (0 byline, 1 original link, 2 see-also, 3 the ``lang`` and
``dir`` attributes of an article in another language than the site's). Zensical's
templates have no Python string methods, so the theme finds the file with a slice of
``page.url`` only. Without the file (``digest pages`` not run yet) the theme falls back to
the raw front matter.
"""

from __future__ import annotations

import html
from collections import defaultdict
from urllib.parse import urlsplit

from digest.reading_time import count_words, minutes
from digest.site.corrections import notice_html
from digest.site.locale import Site
from digest.site.markup import language_attributes, literal, template_safe
from digest.site.related import Links
from digest.site.story_pages import StoryView
from digest.site.urls import category_src, fragments_file, is_web_link, page_url, relative_url
from digest.store.posts import Post


def reading_minutes(post: Post) -> int:
    """The whole story's reading time; 0 when it is not known.

    A generated post's front matter keeps the time ingest measured on the entry's whole text:
    a summary-only post's body is a paragraph or two of a longer story, and counting it would
    say "1 min read" on every such page. A generated post without one had no text to measure.
    An editor's own post is all there, so its body is counted.
    """
    if post.reading_time:
        return post.reading_time
    return 0 if post.generated else minutes(count_words(post.text))


def byline_html(site: Site, post: Post) -> str:
    e = html.escape
    parts = []
    if post.source:
        parts.append(f'<span class="digest-source">{e(post.source)}</span>')
    if post.author and post.author != post.source:
        parts.append(f'<span class="digest-author">{e(site.t("by", author=post.author))}</span>')
    parts.append(f'<time datetime="{e(post.date.isoformat())}">{e(site.date_and_time(post))}</time>')
    reading = reading_minutes(post)
    if reading:
        parts.append(f'<span class="digest-reading-time">'
                     f'{e(site.t("reading_time", minutes=reading))}</span>')
    lines = ['<p class="digest-byline">' + " ".join(parts) + "</p>"]
    notice = notice_html(site, post)
    if notice:          # a correction is told before the text it corrects
        lines.append(notice)
    if post.categories:
        links = ", ".join(
            f'<a href="{e(relative_url(post.src, category_src(name), site.settings.use_directory_urls))}">'
            f"{e(name)}</a>" for name in post.categories)
        lines.append(f'<p class="digest-categories">{e(site.t("filed_under"))}: {links}</p>')
    return "\n".join(lines)


def original_html(site: Site, post: Post) -> str:
    """"Read the original at ...", the page a link blog's entry comments on, and the other
    sources of the same story."""
    e = html.escape
    parts = []
    if is_web_link(post.link):
        source = post.source or site.t("the_source")
        parts.append(f'<p class="digest-original"><a href="{e(post.link)}" rel="noopener" '
                     f'target="_blank">{e(site.t("read_original", source=source))}</a></p>')
    if is_web_link(post.links_to):
        host = urlsplit(post.links_to).hostname or post.links_to
        parts.append(f'<p class="digest-links-to"><a href="{e(post.links_to)}" rel="noopener">'
                     f'{e(site.t("links_to", site=host))}</a></p>')
    if post.also_reported_by:
        others = ", ".join(
            f'<a href="{e(link)}" rel="noopener">{e(source)}</a>' if is_web_link(link) else e(source)
            for source, link in post.also_reported_by)
        parts.append(f'<p class="digest-also-reported">{e(site.t("also_reported_by"))} {others}</p>')
    return template_safe("\n".join(parts))


def see_also_fragment(site: Site, post: Post, by_src: dict[str, Post], links: Links,
                      view: StoryView | None = None) -> str:
    """"More on this story", then the "See also" and "Follow-up coverage" blocks of one article.

    "More on this story" lists the story's other reports and links, once, to the story's page
    (class ``digest-story-link``). See also and Follow-up coverage then offer *other* stories:
    a computed link into the article's own story is left out (it is above), and of one other
    story only its best link is shown. An editor's ``see_also`` (paths under docs/) is shown as
    given, in its order, and then no computed link appears in those two lists: an editor who
    empties the list (an obituary, a correction) wants no automatic links at all. A path that is
    not a post is left out here (``digest check`` reports it) so the page never carries a dead
    link.
    """
    pinned = post.see_also is not None
    related = [src for src in (post.see_also if pinned else links.see_also.get(post.src, ()))
               if src in by_src and src != post.src]
    later = [] if pinned else [src for src in links.follow_ups.get(post.src, ())]
    parts = []
    if view is not None:
        parts.append(more_on_this_story(site, post, view))
        if not pinned:
            related, later = other_stories(view, post, related, later)
    if related:
        parts.append(_link_list(site, post, related, by_src, "digest-see-also", site.t("see_also")))
    if later:
        parts.append(_link_list(site, post, later, by_src, "digest-follow-up", site.t("follow_up")))
    return template_safe("\n".join(part for part in parts if part))


def other_stories(view: StoryView, post: Post, *lists: list[str]) -> list[list[str]]:
    """The lists without links into ``post``'s own story, one link per other story."""
    shown = {view.key(post)}
    kept = []
    for srcs in lists:
        mine = []
        for src in srcs:
            key = view.key(view.by_src[src])
            if key not in shown:
                shown.add(key)
                mine.append(src)
        kept.append(mine)
    return kept


def more_on_this_story(site: Site, post: Post, view: StoryView) -> str:
    """The other reports of the article's story, newest first, and the story's page."""
    key = view.key(post)
    story_page = view.page(key)
    if not story_page:
        return ""
    others = [other.src for other in reversed(view.members(key)) if other.src != post.src]
    block = _link_list(site, post, others, view.by_src, "digest-more-on-story", site.t("more_on_story"))
    href = relative_url(post.src, story_page, site.settings.use_directory_urls)
    link = (f'<p><a class="digest-story-link" href="{html.escape(href)}">'
            f'{html.escape(site.t("all_reports", count=len(view.members(key))))}</a></p>\n')
    return block.replace("</ul>\n</nav>\n", "</ul>\n" + link + "</nav>\n")


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
    heading = html.escape(heading)
    return (f'<nav class="{css}" aria-label="{heading}">\n<h2>{heading}</h2>\n<ul>\n'
            + "\n".join(items) + "\n</ul>\n</nav>\n")


def fragments_template(parts: dict[str, tuple[str, ...]]) -> str:
    """One day's fragment file: page URL -> (byline, original link, see-also, language)."""
    entries = ",\n".join(f"{literal(url)}: [{', '.join(literal(part) for part in three)}]"
                          for url, three in sorted(parts.items()))
    return ("{%- set parts = {\n" + entries + "\n} -%}\n"
            "{%- if page.url in parts %}{{ parts[page.url][digest_part] }}{% endif -%}\n")


def fragment_outputs(site: Site, posts: list[Post], links: Links,
                     view: StoryView | None = None) -> dict[str, str]:
    """The article fragments (byline, original link, see-also), one file per day of URLs,
    by path under the theme's ``digest-generated/``. A compact post (``site.compact``) has
    no page for them to go on: most of a year's posts, so none is written."""
    by_src = {post.src: post for post in posts}
    groups: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for post in posts:
        if post.src in site.compact:
            continue
        url = page_url(post.src, site.settings.use_directory_urls)
        groups[fragments_file(url, site.settings.posts_dir)][url] = (
            byline_html(site, post), original_html(site, post),
            see_also_fragment(site, post, by_src, links, view),
            language_attributes(post.language, site.settings.language))
    return {path: fragments_template(parts) for path, parts in groups.items()}
