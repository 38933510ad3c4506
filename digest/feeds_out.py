"""The digest's own RSS feed (``docs/feed.xml``): the latest articles, for readers' feed readers.

Built with ElementTree so every title and summary is escaped as XML, whatever it holds.
"""

from __future__ import annotations

from email.utils import format_datetime
from xml.etree import ElementTree as ET

from digest.config import Settings
from digest.posts import Post


def absolute(settings: Settings, path: str) -> str:
    base = settings.site_url.rstrip("/")
    return f"{base}/{path}" if base else path


def write_digest_feed(settings: Settings, posts: list[Post]) -> str:
    from digest.pages import page_url   # pages imports this module; avoid the cycle at import

    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = settings.site_name
    ET.SubElement(channel, "link").text = absolute(settings, "")
    ET.SubElement(channel, "description").text = f"The latest articles of {settings.site_name}"
    ET.SubElement(channel, "language").text = settings.language
    if posts:
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(max(p.date for p in posts))
    appeal = settings.support
    for post in posts[: settings.feed_items]:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = post.title
        ET.SubElement(item, "link").text = absolute(settings, page_url(post.src, settings.use_directory_urls))
        ET.SubElement(item, "guid", isPermaLink="false").text = post.id
        ET.SubElement(item, "pubDate").text = format_datetime(post.date)
        if post.source:
            ET.SubElement(item, "source", url=post.link or absolute(settings, "")).text = post.source
        for category in post.categories:
            ET.SubElement(item, "category").text = category
        support_line = f"{appeal.heading}: {appeal.text} {_support_url(settings, appeal.link)}"
        ET.SubElement(item, "description").text = (post.summary + "\n\n" if post.summary else "") + support_line
    ET.indent(rss)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _support_url(settings: Settings, link: str) -> str:
    if link.startswith(("http://", "https://")):
        return link
    return absolute(settings, link[:-3] + "/" if link.endswith(".md") else link)
