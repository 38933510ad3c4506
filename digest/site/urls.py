"""Where everything the site publishes lives: the one owner of the site's URL conventions.

Page paths (``days/2026-11-23.md``, ``categories/<slug>.md`` and its ``/page-N.md``), the URL
MkDocs gives a page, relative links between pages, the digest's own feed file names (an
``.xml`` RSS feed and its ``.atom`` twin), the membership appeal's link as a URL, and the
grouping of article fragments by day that the theme relies on. A leaf module: it imports
nothing from digest, so every other module (and, through generated values, the theme) can
take its rules from here.
"""

from __future__ import annotations

import hashlib
import posixpath
from datetime import date as date_type
from functools import lru_cache

from slugify import slugify

# Site-wide feeds of the latest articles, at the root of docs/.
SITE_RSS = "feed.xml"
SITE_ATOM = "atom.xml"
RSS_SUFFIX = ".xml"
ATOM_SUFFIX = ".atom"

# The theme's folder for what ``digest pages`` writes into it (git-ignored).
FRAGMENTS_DIR = "digest-generated"
# Article fragments live in its ``article/`` folder, one file per day prefix of an article's
# URL (``posts/YYYY/MM/DD/``), named ``_.html`` inside that prefix.
ARTICLE_FRAGMENTS = "article"
DAY_PREFIX = "/YYYY/MM/DD/"
FRAGMENT_FILE = "_.html"

WEB_SCHEMES = ("https://", "http://")
EXTERNAL_SCHEMES = WEB_SCHEMES + ("mailto:",)


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL path (relative to the site root) MkDocs gives the page built from ``src``."""
    stem = src[:-3] if src.endswith(".md") else src
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The link from the page built from ``from_src`` to ``to_src`` (a page or a file)."""
    here = page_url(from_src, directory_urls)
    there = page_url(to_src, directory_urls) if to_src.endswith(".md") else to_src
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    relative = relative_path(there or ".", base or ".")
    return relative + "/" if there.endswith("/") and not relative.endswith("/") else relative


def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``, by string operations on the site's own relative
    paths. relpath makes both absolute with ``os.getcwd()`` on every call: at 20,000 articles
    (about 350,000 links) that was a fifth of ``digest pages``. A path it cannot read without
    the working folder (absolute, or ``..`` above the root) is left to relpath."""
    target, base = _path_parts(path), _path_parts(start)
    if target is None or base is None or not path:
        return posixpath.relpath(path, start)
    common = 0
    for mine, theirs in zip(target, base):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "."


def _path_parts(path: str) -> list[str] | None:
    """The normalised parts of a relative path; None when it is absolute or climbs above
    its root."""
    if path.startswith("/"):
        return None
    if "//" not in path and "/." not in path and not path.startswith("."):
        # Already normal (all of ours are): no empty, "." or ".." part but a trailing slash.
        return path.rstrip("/").split("/") if path.rstrip("/") else []
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part != "..":
            parts.append(part)
        elif parts:
            parts.pop()
        else:
            return None
    return parts


def absolute(site_url: str, path: str) -> str:
    """``path`` under ``site_url``; the bare path when the site has no URL configured."""
    base = site_url.rstrip("/")
    return f"{base}/{path}" if base else path


SLUG_MAX = 60
# Names a category's or source's page may not take: the folder's own index page.
RESERVED_SLUGS = frozenset({"index"})


# Cached: every article's categories and source are slugged on every page that lists it
# (about 120,000 calls at 20,000 articles), and there are a few hundred names.
@lru_cache(maxsize=None)
def slug(text: str) -> str:
    """The one slug of a category's or source's name: its pages, its feeds, its links.

    Names that differ only in case or accents share a slug on purpose ("Sport" and "sport"
    from two feeds are one page). Otherwise every name gets its own: a slugify result never
    holds "_", so the three slugs made here cannot meet a name's natural slug:

    - a reserved name ("Index": index.hu is a news site) gets a trailing "_" (``index_``),
      so it never overwrites ``categories/index.md``, the list of categories;
    - a name without letters or digits ("★", "???") gets "_" and a hash of the name, where
      it used to fall back to "other" and merge with a real "Other";
    - a name whose slug is cut at ``SLUG_MAX`` keeps a hash of the whole, so two long names
      that start alike stay two pages.
    """
    full = slugify(text)
    if not full:
        return "_" + _short_hash(text.strip().casefold())
    if full in RESERVED_SLUGS:
        return full + "_"
    if len(full) > SLUG_MAX:
        return slugify(text, max_length=SLUG_MAX - 9, word_boundary=True) + "_" + _short_hash(full)
    return full


def natural_slug(text: str) -> str:
    """What slugify alone makes of a name ("" for a name without letters): what ``slug``
    resolves, for ``digest check`` to report."""
    return slugify(text, max_length=SLUG_MAX, word_boundary=True)


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def category_src(category: str) -> str:
    return f"categories/{slug(category)}.md"


def source_src(source: str) -> str:
    return f"sources/{slug(source)}.md"


def day_src(day: date_type) -> str:
    return f"days/{day:%Y-%m-%d}.md"


def month_src(day: date_type) -> str:
    """The archive page of a month's compact articles (``budget.py``): ``archive/2025-01.md``."""
    return f"archive/{day:%Y-%m}.md"


# What ``digest pages`` tells ``digest publish`` about the compact articles: the small page
# to write at each one's address (next to mkdocs.yml, git-ignored like digest-build.yml).
COMPACT_MANIFEST = "digest-compact.json"


def story_src(slug_: str) -> str:
    """The page of a story of two or more articles (its slug is kept in digest-stories.json)."""
    return f"stories/{slug_}.md"


# The digest's feed of its top stories (one item per story, its lead article).
TOP_STORIES_RSS = "top-stories.xml"


def paged_src(first_src: str, number: int) -> str:
    """A listing's newest items are ``categories/x.md`` (``number`` 0); older ones are
    ``categories/x/page-1.md`` (the oldest), ``page-2.md``..., numbered from the oldest so
    that a page keeps its address and its items (digest/site/listings.py's ``paged``)."""
    return first_src if number == 0 else f"{first_src[:-3]}/page-{number}.md"


def category_feed(category: str) -> str:
    """A category's RSS feed, under docs/; ``atom_twin`` gives its Atom feed."""
    return f"feeds/{slug(category)}{RSS_SUFFIX}"


def atom_twin(rss: str) -> str:
    """Every RSS feed has an Atom twin beside it: ``feeds/x.xml`` -> ``feeds/x.atom``."""
    return rss[: -len(RSS_SUFFIX)] + ATOM_SUFFIX


def is_web_link(url: str) -> bool:
    return url.lower().startswith(WEB_SCHEMES)


def is_external(link: str) -> bool:
    """A link that leaves the site (the appeal may point to a payment page or an address)."""
    return link.startswith(EXTERNAL_SCHEMES)


def support_page(link: str) -> str:
    """The page under docs/ that the appeal's ``link`` names (``support.md#tiers`` ->
    ``support.md``); "" for an external link or a bare anchor."""
    return "" if is_external(link) else link.split("#", 1)[0]


def support_path(link: str, directory_urls: bool = True) -> str:
    """The appeal's ``link`` as published: external as given, a page of the site as its URL
    path from the site root (``support.md#tiers`` -> ``support/#tiers``)."""
    if is_external(link):
        return link
    page, hash_, anchor = link.partition("#")
    if page.endswith(".md"):
        page = page_url(page, directory_urls)
    return page + hash_ + anchor


def support_url(link: str, site_url: str, directory_urls: bool = True) -> str:
    """The appeal's link for a reader outside the site (a feed item): absolute."""
    return link if is_external(link) else absolute(site_url, support_path(link, directory_urls))


def fragment_group(url: str, posts_dir: str) -> str:
    """The URL prefix articles share a fragment file by: ``posts/YYYY/MM/DD/``."""
    return url[: fragment_prefix_length(posts_dir)]


def fragment_prefix_length(posts_dir: str) -> int:
    """How much of an article's ``page.url`` names its fragment file. The theme takes the
    same slice, from the value ``digest pages`` writes for it (see fragments.py)."""
    return len(posts_dir) + len(DAY_PREFIX)


def fragments_file(url: str, posts_dir: str) -> str:
    """The fragment file of a page URL, under the theme's ``digest-generated/``."""
    return f"{ARTICLE_FRAGMENTS}/{fragment_group(url, posts_dir)}{FRAGMENT_FILE}"
