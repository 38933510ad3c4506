"""The "Corrected" notice: ``updated:`` and ``correction:`` on a post, said the same way on
the article page and in the digest's feeds.

``updated:`` alone says "Updated on <day>"; with ``correction:`` the notice says
"Corrected on <day>: <the editor's text>". The day is in the site's time zone and language.
"""

from __future__ import annotations

import html

from digest.site.locale import Site
from digest.store.posts import Post


def notice_heading(site: Site, post: Post) -> str:
    day = site.long_day(post.updated.astimezone(site.zone).date())
    return site.t("corrected" if post.correction else "updated", day=day)


def notice_text(site: Site, post: Post) -> str:
    """The notice as plain text (feeds); "" for a post never updated."""
    if post.updated is None:
        return ""
    heading = notice_heading(site, post)
    return f"{heading}: {post.correction}" if post.correction else f"{heading}."


def notice_html(site: Site, post: Post) -> str:
    """The notice at the top of the article page; "" for a post never updated."""
    if post.updated is None:
        return ""
    e = html.escape
    heading = (f'<strong><time datetime="{e(post.updated.isoformat())}">'
               f"{e(notice_heading(site, post))}</time></strong>")
    text = f": {e(post.correction)}" if post.correction else "."
    kind = "digest-correction" if post.correction else "digest-update"
    return f'<p class="{kind}" role="note">{heading}{text}</p>'


def last_changed(post: Post):
    """When the post last changed for its readers: its correction or update, else its date."""
    return max(post.updated, post.date) if post.updated else post.date
