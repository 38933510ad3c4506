"""The one model of a news article that every stage after normalising sees.

It lives at the top of the package because ingest makes it and the store writes it:
neither side should have to import the other to name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    link: str                      # the original's http(s) URL as published (links.py), or ""
    date: datetime                 # always time-zone aware
    source: str                    # the feed's display name
    feed_url: str
    author: str = ""               # one or more names, ", "-separated
    # The entry gave no date we could read: ``date`` is the feed's or the fetch time. Such a
    # post keeps the date it was first written with and is never listed as the day's news.
    date_guessed: bool = False
    categories: tuple[str, ...] = ()
    language: str = ""
    summary: str = ""              # plain text, for lists and previews
    body: str = ""                 # safe Markdown
    image: str = ""                # the entry's lead image (http(s) URL), for listings
    reading_time: int = 0          # minutes to read the whole story (0: unknown)
    full_text: bool = False        # the body is the whole story, not a summary
    # Other sources that published the same story: (source, link) pairs, set by dedupe.
    also_reported_by: tuple[tuple[str, str], ...] = ()
    links_to: str = ""             # link blogs: the third-party page the entry comments on
    text: str = field(default="", compare=False, repr=False)   # plain text, for dedupe
    # The ids the rules of state versions up to 2 gave this entry (state.keep_legacy_ids).
    legacy_ids: tuple[str, ...] = field(default=(), compare=False, repr=False)
    notes: tuple[str, ...] = field(default=(), compare=False)   # fallbacks taken, for the report
    warnings: tuple[str, ...] = field(default=(), compare=False)  # what an editor should know
