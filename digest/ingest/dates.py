"""Dates feedparser could not read, read leniently; and a date in the article's address.

feedparser reads RFC 822 and ISO 8601 dates in English. Real feeds also write
"Seg, 24 Set 2018 19:42:40 -0300" (Portuguese), "mer, 16 nov 2022" (Italian), a misspelt
weekday, or "22.11.2022 12:16:00". Here the weekday is ignored (whatever its spelling), month
names in the feeds' languages become English ones, and python-dateutil reads the rest; a
date without a zone is taken as UTC. Anything it cannot read, or that is not plausibly a
news date (before 1990), stays unread: normalise then falls back as before.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from dateutil import parser as date_parser

EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
# Month names and their usual abbreviations, by the number of the month (lower case).
MONTHS = {
    1: "janeiro enero gennaio janvier januar jänner januari január janv gen ene jan styczeń stycznia января январь янв",
    2: "fevereiro febrero febbraio février fevrier februar februari február févr fev fév feb lut luty lutego февраля февраль фев",
    3: "março marco marzo mars märz maart március mar mär mrz marca marzec марта март мар",
    4: "abril aprile avril april április abr avr apr kwietnia kwiecień апреля апрель апр",
    5: "maio mayo maggio mai mei május mag may maj maja мая май",
    6: "junho junio giugno juin juni június jun giu juin czerwca czerwiec июня июнь июн",
    7: "julho julio luglio juillet juli július jul lug juil lipca lipiec июля июль июл",
    8: "agosto août aout august augustus augusztus ago aoû aug sierpnia sierpień августа август авг",
    9: "setembro septiembre settembre septembre september szeptember set sept sep wrz września wrzesień сентября сентябрь сен",
    10: "outubro octubre ottobre octobre oktober október out oct ott okt października październik октября октябрь окт",
    11: "novembro noviembre novembre november november nov listopada listopad ноября ноябрь ноя",
    12: "dezembro diciembre dicembre décembre decembre dezember december december dez dic déc dec gru grudnia grudzień декабря декабрь дек",
}
for _number, _name in enumerate(("january february march april may june july august september "
                                 "october november december").split(), start=1):
    MONTHS[_number] += " " + _name
_ENGLISH = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_WORDS = {word: number for number, words in MONTHS.items() for word in words.split()}
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)
# A leading weekday, in any language or spelling: a word (or two) then a comma.
_WEEKDAY = re.compile(r"^\s*[^\W\d_]+(-[^\W\d_]+)?\.?,?\s+(?=\d|[^\W\d_]+\.?\s+\d)", re.UNICODE)
_DAY_FIRST = re.compile(r"^\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_LINK_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")


def lenient_date(raw: str | None, latest: datetime) -> datetime | None:
    """A date string feedparser gave up on -> an aware datetime, or None."""
    if not raw or not raw.strip() or len(raw) > 80:
        return None
    text = _WEEKDAY.sub("", raw.strip())
    text = _WORD.sub(_english_month, text)
    try:
        parsed = date_parser.parse(text, dayfirst=bool(_DAY_FIRST.match(text)), fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        parsed = parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
    return parsed if EARLIEST <= parsed <= latest else None


def _english_month(match: re.Match) -> str:
    word = match.group(0).rstrip(".").casefold()
    number = _MONTH_WORDS.get(word)
    if number:
        return _ENGLISH[number]
    # Words dateutil knows (AM, PM, UTC, GMT, T) pass; any other word is the weekday's
    # or a preposition's ("de", "à"), and goes.
    return match.group(0) if word in ("am", "pm", "utc", "gmt", "z", "t", "est", "edt", "cet",
                                      "cest", "pst", "pdt", "bst") else " "


def date_in_link(link: str, latest: datetime) -> datetime | None:
    """/2024/03/15/ or /2024-03-15 in the article's address -> noon UTC that day."""
    match = _LINK_DATE.search(link or "")
    if not match:
        return None
    try:
        found = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), 12,
                         tzinfo=timezone.utc)
    except ValueError:
        return None
    return found if EARLIEST <= found <= latest else None
