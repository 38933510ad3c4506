"""Dates, times and labels in the publication's language, locale and time zone.

Jinja has no locale-aware date filter, so every date a reader sees is formatted here with
Babel, in the time zone of ``timezone``; labels come from ``labels.py``.
"""

from __future__ import annotations

import html
from datetime import date as date_type, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time

from digest.config import Settings
from digest.site.labels import label
from digest.site.markup import md_link
from digest.site.urls import relative_url
from digest.store.posts import Post


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
    """Formatting that depends on the publication's settings (language, locale, time zone),
    and the links to its pages (``compact``: the posts published compact, see budget.py)."""

    def __init__(self, settings: Settings, compact: frozenset[str] = frozenset()):
        self.settings = settings
        self.zone = ZoneInfo(settings.timezone)
        self.language = settings.language
        self.locale = date_locale(settings.language, settings.locale)
        self.compact = compact

    def link(self, text: str, from_src: str, to_src: str) -> str:
        """A Markdown link (``text`` is Markdown) from one page to another.

        A compact post is not built, so a Markdown link to its file would make MkDocs log a
        line per link (tens of thousands at a year of news) and leave the ``.md`` in place.
        Its address still answers (``digest publish`` writes a small page there), so it is
        linked by URL in raw HTML, which MkDocs and Zensical pass through unchecked.
        """
        if to_src in self.compact:
            href = relative_url(from_src, to_src, self.settings.use_directory_urls)
            return f'<a href="{html.escape(href)}">{text}</a>'
        return f"[{text}]({md_link(from_src, to_src)})"

    def t(self, key: str, **values) -> str:
        return label(self.language, key, **values)

    def day_of(self, post: Post) -> date_type:
        return self.local(post.date).date()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def long_day(self, day: date_type) -> str:
        return _date(day, "full", self.locale)

    def month(self, day: date_type) -> str:
        return format_skeleton("yMMMM", day, locale=self.locale)

    def short_day(self, post: Post) -> str:
        return _date(self.day_of(post), "medium", self.locale)

    def clock(self, post: Post) -> str:
        local = self.local(post.date)
        return _clock(local.hour, local.minute, self.locale)

    def date_and_time(self, post: Post) -> str:
        return self.long_day(self.day_of(post)) + ", " + self.clock(post)
