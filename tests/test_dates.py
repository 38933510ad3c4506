"""dates: what feedparser cannot read, read leniently; a date in the article's address."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from digest.ingest.dates import date_in_link, lenient_date

LATEST = datetime(2026, 11, 21, tzinfo=timezone.utc)
UTC = timezone.utc


@pytest.mark.parametrize("raw, expected", [
    ("Seg, 24 Set 2018 19:42:40 -0300", datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)),      # Portuguese
    ("mer, 16 nov 2022 00:38:15 +0100", datetime(2022, 11, 15, 23, 38, 15, tzinfo=UTC)),     # Italian
    ("Thurs, 19 Nov 2026 10:00:00 GMT", datetime(2026, 11, 19, 10, 0, tzinfo=UTC)),          # misspelt weekday
    ("Friday, January 29, 2021 04:42 PM", datetime(2021, 1, 29, 16, 42, tzinfo=UTC)),
    ("22.11.2022 12:16:00", datetime(2022, 11, 22, 12, 16, tzinfo=UTC)),                     # day first
    ("Dienstag, 3. März 2026 08:15", datetime(2026, 3, 3, 8, 15, tzinfo=UTC)),                # German
    ("mardi 17 février 2026 14:00 +0100", datetime(2026, 2, 17, 13, 0, tzinfo=UTC)),          # French
    ("2026. november 16. 09:30", datetime(2026, 11, 16, 9, 30, tzinfo=UTC)),                  # Hungarian
    ("17 de marzo de 2025", datetime(2025, 3, 17, tzinfo=UTC)),                              # Spanish
])
def test_dates_in_the_feeds_languages_are_read(raw, expected):
    assert lenient_date(raw, LATEST) == expected


@pytest.mark.parametrize("raw", ["", "yesterday", "soon", "32.13.2020", "1 Jan 1970", "Sat, 01 Jan 2099 00:00:00 GMT"])
def test_what_is_not_a_plausible_date_stays_unread(raw):
    assert lenient_date(raw, LATEST) is None


@pytest.mark.parametrize("link, expected", [
    ("https://news.example/2025/03/15/ferry-plan/", datetime(2025, 3, 15, 12, tzinfo=UTC)),
    ("https://news.example/archives/2025-3-7-ferry", datetime(2025, 3, 7, 12, tzinfo=UTC)),
    ("https://news.example/story/20250315", None),
    ("https://news.example/2025/13/40/x", None),
    ("https://news.example/2099/01/01/x", None),
])
def test_a_date_in_the_link(link, expected):
    assert date_in_link(link, LATEST) == expected
