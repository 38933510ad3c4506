"""digest.site.locale: dates in the publication's language, locale and time zone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from digest.config import load_settings
from digest.site.locale import Site, date_locale
from tests.conftest import REPO
from tests.helpers import make_post


def test_the_locale_refines_the_language_but_never_overrides_it():
    assert date_locale("en", "en_GB") == "en_GB"
    assert date_locale("en", "en-GB") == "en_GB"
    assert date_locale("de", "en_GB") == "de"          # switched to German: German dates
    assert date_locale("pt-BR", "") == "pt_BR"


def test_dates_and_times_in_the_publications_zone():
    settings = replace(load_settings(REPO / "mkdocs.yml"), language="en", locale="en_GB",
                       timezone="Europe/Budapest")
    site = Site(settings)
    late = make_post("x", "X", "", datetime(2021, 5, 13, 22, 30, tzinfo=timezone.utc))
    assert site.day_of(late) == date(2021, 5, 14)
    assert site.date_and_time(late) == "Friday, 14 May 2021, 00:30"
    assert site.month(date(2021, 5, 1)) == "May 2021"
