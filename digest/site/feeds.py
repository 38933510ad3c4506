"""The digest's own feeds, for readers' feed readers: RSS 2.0 and Atom, site-wide and per category.

``docs/feed.xml`` and ``docs/atom.xml`` carry the latest ``feed_items`` articles;
``docs/feeds/<category>.xml`` and ``.atom`` the latest of one category;
``docs/top-stories.xml`` and ``.atom`` the lead article of each day's top stories. Built with
ElementTree so every title and summary is escaped as XML, whatever it holds. Links are
absolute when ``site_url`` is set (feed readers need them so); dates keep their offsets.
"""

from __future__ import annotations

from email.utils import format_datetime
from xml.etree import ElementTree as ET

from digest.config import Settings
from digest.site.corrections import last_changed, notice_text
from digest.site.labels import label
from digest.site.locale import Site
from digest.site.urls import (SITE_ATOM, SITE_RSS, TOP_STORIES_RSS, absolute, atom_twin,
                              category_feed, category_src, is_web_link, page_url, support_url)
from digest.store.posts import Post

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def article_url(settings: Settings, post: Post) -> str:
    return _absolute(settings, page_url(post.src, settings.use_directory_urls))


def feed_files(settings: Settings, posts: list[Post],
               by_category: dict[str, list[Post]], leads: list[Post] | None = None) -> dict[str, str]:
    """Every feed file, by path relative to docs_dir. Posts are newest first; ``leads`` are
    the lead articles of the top stories, newest edition first (story_pages.top_story_leads)."""
    latest = label(settings.language, "latest", site=settings.site_name)
    files = {
        SITE_RSS: rss_feed(settings, posts, settings.site_name, latest, SITE_RSS, ""),
        SITE_ATOM: atom_feed(settings, posts, settings.site_name, SITE_ATOM, ""),
    }
    if leads is not None:
        title = f"{settings.site_name}: {label(settings.language, 'top_stories')}"
        about = label(settings.language, "top_stories_feed", site=settings.site_name)
        files[TOP_STORIES_RSS] = rss_feed(settings, leads, title, about, TOP_STORIES_RSS, "")
        files[atom_twin(TOP_STORIES_RSS)] = atom_feed(settings, leads, title,
                                                      atom_twin(TOP_STORIES_RSS), "")
    for category, chosen in by_category.items():
        title = f"{settings.site_name}: {category}"
        page = page_url(category_src(category), settings.use_directory_urls)
        rss = category_feed(category)
        files[rss] = rss_feed(settings, chosen, title, latest, rss, page)
        files[atom_twin(rss)] = atom_feed(settings, chosen, title, atom_twin(rss), page)
    return files


def appeal_line(settings: Settings, post: Post) -> str:
    """One short line of the membership appeal for a feed item: heading, button and address;
    the post's category variant where there is one; nothing where the appeal is hidden."""
    if not settings.support.enabled or not post.support:
        return ""
    appeal = settings.support.for_categories(post.categories)
    heading = appeal["heading"].strip()
    stop = "" if heading[-1:] in ".!?" else "."
    link = support_url(appeal["link"], settings.site_url, settings.use_directory_urls)
    return f"{heading}{stop} {appeal['button'].strip()}: {link}"


def item_description(settings: Settings, post: Post) -> str:
    # A correction comes first: a reader who saw the item before must see what changed.
    notice = notice_text(Site(settings), post) if post.updated else ""
    return "\n\n".join(part for part in (notice, post.summary, appeal_line(settings, post)) if part)


def rss_feed(settings: Settings, posts: list[Post], title: str, description: str,
             self_path: str, page_path: str) -> str:
    ET.register_namespace("atom", ATOM)   # for the rel="self" link feed validators ask for
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = _absolute(settings, page_path)
    ET.SubElement(channel, f"{{{ATOM}}}link", rel="self", type="application/rss+xml",
                  href=_absolute(settings, self_path))
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = settings.language
    if posts:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(max(map(last_changed, posts)))
    ET.register_namespace("dc", DC)
    for post in posts[: settings.feed_items]:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = post.title
        ET.SubElement(item, "link").text = article_url(settings, post)
        ET.SubElement(item, "guid", isPermaLink="false").text = post.id
        ET.SubElement(item, "pubDate").text = format_datetime(post.date)
        if post.source and is_web_link(post.feed):
            # RSS 2.0: <source url> is the feed the item came from, not the article.
            ET.SubElement(item, "source", url=post.feed).text = post.source
        for category in post.categories:
            ET.SubElement(item, "category").text = category
        ET.SubElement(item, "description").text = item_description(settings, post)
        if post.language:       # RSS has no per-item language; Dublin Core's is the usual one
            ET.SubElement(item, f"{{{DC}}}language").text = post.language
    return _serialise(rss)


def atom_feed(settings: Settings, posts: list[Post], title: str, self_path: str,
              page_path: str) -> str:
    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, tag, **attrs)
        element.text = text
        return element

    # Plain tag names under a literal xmlns: ElementTree's own namespace handling would
    # prefix every attribute-bearing element.
    feed = ET.Element("feed", xmlns=ATOM)
    sub(feed, "title", title)
    sub(feed, "id", _absolute(settings, self_path))
    sub(feed, "link", rel="alternate", type="text/html", href=_absolute(settings, page_path))
    sub(feed, "link", rel="self", type="application/atom+xml", href=_absolute(settings, self_path))
    newest = max(map(last_changed, posts), default=None)
    sub(feed, "updated", newest.isoformat() if newest else "1970-01-01T00:00:00+00:00")
    author = sub(feed, "author")
    sub(author, "name", settings.site_name)
    for post in posts[: settings.feed_items]:
        # xml:lang: feed readers show the entry in its own language (and so direction).
        entry = sub(feed, "entry", **({XML_LANG: post.language} if post.language else {}))
        sub(entry, "title", post.title, type="text")
        sub(entry, "link", rel="alternate", type="text/html", href=article_url(settings, post))
        if post.link:
            sub(entry, "link", rel="related", type="text/html", href=post.link)
        # The article's own URL is our stable identifier; post ids may be bare hashes.
        sub(entry, "id", article_url(settings, post))
        sub(entry, "published", post.date.isoformat())
        sub(entry, "updated", last_changed(post).isoformat())
        if post.author or post.source:
            sub(sub(entry, "author"), "name", post.author or post.source)
        for category in post.categories:
            sub(entry, "category", term=category)
        sub(entry, "summary", item_description(settings, post), type="text")
    return _serialise(feed)


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"



def _absolute(settings: Settings, path: str) -> str:
    return absolute(settings.site_url, path)
