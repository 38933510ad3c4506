"""What an entry says about itself, one field at a time: its HTML, authors, categories, language.

Feeds disagree on where each of these lives and how it is spelled; each function here takes
the feedparser entry and settles one field, so ``normalise.normalise_entry`` stays a readable
sequence of them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from digest.ingest.clean import plain_text
from digest.ingest.language import detect
from digest.ingest.parse import ParsedFeed


MAX_CATEGORIES = 5
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_EMAIL_AND_NAME = re.compile(r"^\s*[^\s@]+@[^\s@]+\s*\((.+)\)\s*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.IGNORECASE)
HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_TAG = re.compile(r"<[^>]*>")
# "Uncategorized" and its translations: WordPress's default, never a topic.
NO_CATEGORY = frozenset(("uncategorized", "uncategorised", "non classé", "non classe", "sin categoría",
                         "sin categoria", "sem categoria", "senza categoria", "allgemein",
                         "ohne kategorie", "nincs kategorizálva", "egyéb", "без рубрики",
                         "未分类", "未分類", "ongecategoriseerd", "bez kategorii", "general"))
# "Arts, Culture and Entertainment" is one name (IPTC's), not a list to split.
_SERIAL_NAME = re.compile(r"^[^,]+(, [^,]+)*,? (and|&|und|et|y|és|e|и) [^,]+$", re.IGNORECASE)
# An address standing for a name: a URL, or a host name ("www.caogen.com", "site.example").
_URLISH = re.compile(r"(https?://[^\s,]*|www\.[^\s,]+|(?<!\S)[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/\S*)?(?![\w.]))",
                     re.IGNORECASE)
_INITIALS = re.compile(r"^([A-Z][a-z]?\.[\s-]?)+$|^[A-Z]{1,3}$")
AUTHOR_LIMIT = 200
CATEGORY_LIMIT = 60


@dataclass(frozen=True)
class CategoryPolicy:
    """How feed categories become the publication's: a map, then an optional allowed set."""

    mapping: tuple[tuple[str, str], ...] = ()      # (casefolded feed category, ours)
    allowed: tuple[str, ...] = ()                  # empty: any category is allowed

    def apply(self, name: str) -> str | None:
        name = dict(self.mapping).get(name.casefold(), name)
        if not self.allowed:
            return name
        for allowed in self.allowed:
            if allowed.casefold() == name.casefold():
                return allowed
        return None



def entry_html(entry) -> tuple[str, str]:
    """The entry's full HTML and its summary HTML (either may be empty).

    The full text is the richest HTML part: some feeds give a photo caption or a text/plain
    copy as their first content part, and some give the story in the summary. Plain text
    parts are escaped (their "<div>" is text) and used only when there is no HTML.
    """
    parts = [part for part in entry.get("content") or [] if part.get("value")]
    markup = [part["value"] for part in parts if _is_html(part.get("type"))]
    plain = [_plain_to_html(part["value"]) for part in parts if not _is_html(part.get("type"))]
    summary = entry.get("summary", "") or ""
    if summary and not _is_html((entry.get("summary_detail") or {}).get("type", "text/html")):
        summary = _plain_to_html(summary)
    content = max(markup or plain, key=_text_length, default="")
    if summary and _text_length(summary) > _text_length(content):
        content = summary
    return content or summary, summary or content


def _is_html(media_type: str | None) -> bool:
    return (media_type or "text/html").lower() in HTML_TYPES


def _plain_to_html(text: str) -> str:
    paragraphs = [html.escape(block.strip()).replace("\n", "<br>")
                  for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _text_length(fragment: str) -> int:
    return len(" ".join(_TAG.sub(" ", fragment).split()))


def entry_authors(entry) -> str:
    """Author names, never e-mail addresses, web addresses or avatar images.

    RSS writes ``desk@example.org (Ada Byron)``; feedparser 6.0.14 splits that one character
    off ("ple (Ada Byron"), so that form is read here, and the structured list otherwise.
    A list too long to show is cut after a whole name, with "et al.".
    """
    author = entry.get("author") or ""
    rss_form = _EMAIL_AND_NAME.match(author)
    if rss_form:
        names = [rss_form.group(1)]
    elif _EMAIL.fullmatch(author.strip()):
        names = []                          # an address alone: no name to publish
    else:
        names = [author.get("name") for author in entry.get("authors") or [] if author.get("name")]
        names = names or [entry.get("author") or ""]
    seen, result = set(), []
    for raw in names:
        for name in _names_in(plain_text(raw, 2000)):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                result.append(name)
    return _fit_names(result)


def _names_in(value: str) -> list[str]:
    """One author field -> its names: no addresses; "Surname, A." kept as one name."""
    value = _URLISH.sub(" ", _EMAIL.sub(" ", value))
    pieces = [piece.strip(" :;|-–—·") for piece in value.split(",")]
    names = []
    for piece in pieces:
        if not piece:
            continue
        if names and _INITIALS.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return [name for name in names if len(name) <= 80]


def _fit_names(names: list[str]) -> str:
    joined = ", ".join(names)
    if len(joined) <= AUTHOR_LIMIT:
        return joined
    kept = []
    for name in names:
        if len(", ".join(kept + [name])) + len(" et al.") > AUTHOR_LIMIT:
            break
        kept.append(name)
    return (", ".join(kept) or names[0][:AUTHOR_LIMIT]) + " et al."


def normalise_category(raw: str | None) -> str:
    name = plain_text(raw, 1000).strip(" #/>|")
    return name[:1].upper() + name[1:] if name else ""


def entry_categories(entry, policy: CategoryPolicy = CategoryPolicy()) -> tuple[str, ...]:
    seen, result = set(), []
    for tag in entry.get("tags") or []:
        for name in _category_names(tag.get("term") or tag.get("label")):
            mapped = policy.apply(name)
            if mapped and mapped.casefold() not in seen:
                seen.add(mapped.casefold())
                result.append(mapped)
    return tuple(result[:MAX_CATEGORIES])


def _category_names(raw: str | None) -> list[str]:
    """One feed category -> the names in it: a comma-joined list is split (not one name
    like "Arts, Culture and Entertainment"); "Uncategorized", a name the feed cut short
    ("Politics, Argen…") and anything too long to be a name (keyword soup) are dropped."""
    whole = normalise_category(raw)
    if not whole:
        return []
    pieces = [whole] if "," not in whole or _SERIAL_NAME.match(whole) else whole.split(",")
    names = []
    for piece in pieces:
        name = normalise_category(piece)
        if (not name or name.endswith(("…", "...")) or len(name) > CATEGORY_LIMIT
                or name.casefold() in NO_CATEGORY):
            continue
        names.append(name)
    return names


def entry_language(entry, feed: ParsedFeed, title: str = "", text: str = "") -> str:
    """The language the entry or its feed says, else the one its text is in (if sure)."""
    candidates = [entry.get("language")]
    candidates += [part.get("language") for part in entry.get("content") or []]
    candidates += [(entry.get("summary_detail") or {}).get("language"), feed.language]
    for candidate in candidates:
        code = plain_text(candidate, 20).replace("_", "-")
        if code and _LANGUAGE.match(code):
            primary, _, rest = code.partition("-")
            return primary.lower() + ("-" + rest if rest else "")
    return detect(title, text) if text else ""
