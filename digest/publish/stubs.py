"""The small pages at the addresses of compact articles (``digest/site/compact.py``).

The engine builds no page for an article the size budget published compact, so its address
would answer 404: every link from outside (a search engine, a reader's bookmark, a feed item)
would break. After the build, this step writes a page there from the manifest ``digest
pages`` wrote: valid HTML in the site's language with the title, summary and date, the
original's link, and links to the article's story and month, about 1.5 KB; and one at the
address of a story made compact, its reports one line each. Its
``og:title`` and ``description`` are what the search step reads for an older article's
record, and its text is marked ``data-pagefind-body`` like an article's, so it stays
searchable. A stub for a post no longer compact is never left behind: the engine rebuilt
``site/`` (MkDocs and Zensical both clean it) and the full page it built there wins; a stub
is only ever written where the engine built nothing.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from digest.errors import DigestError
from digest.site.compact import MANIFEST_VERSION
from digest.site.urls import COMPACT_MANIFEST
from digest.store.files import write_if_changed

# Says a page is ours (a full page the engine built there is never replaced).
MARK = "digest-compact"
# A readable page without the theme's 100 KB of CSS: the browser's own light and dark.
STYLE = ("body{font:1.05rem/1.6 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;"
         "padding:0 1rem}nav ul{padding-left:1.2rem}small{opacity:.85}")


def _frame(head: dict, page: dict, main: str, links: list[tuple[str, str]],
           searched: bool) -> str:
    """The page around ``main``: the head search and sharing read, the site's name linking
    home, and the links to the month and the archive."""
    e = escape
    canonical = f'<link rel="canonical" href="{e(page["canonical"])}">\n' if page["canonical"] else ""
    links = links + [(page["month"], page["month_label"]), (page["archive"], head["archive_label"])]
    items = "".join(f'<li><a href="{e(href)}">{e(label)}</a></li>' for href, label in links if href)
    return (
        f'<!doctype html>\n<html lang="{e(head["language"])}" class="{MARK}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f'<title>{e(page["title"])} - {e(head["site_name"])}</title>\n{canonical}'
        f'<meta property="og:title" content="{e(page["title"])}">\n'
        f'<meta name="description" content="{e(page["summary"])}">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<header><a href="{e(page["home"])}">{e(head["site_name"])}</a></header>\n'
        f"<main{' data-pagefind-body' if searched else ''}>\n{main}"
        f'<nav aria-label="{e(head["archive_label"])}"><ul>{items}</ul></nav>\n'
        f'<p><small>{e(head["note"])}</small></p>\n</main>\n</body>\n</html>\n')


def stub_page(head: dict, page: dict) -> str:
    """A compact article's small page."""
    e = escape
    lang = f' lang="{e(page["lang"])}"' if page["lang"] else ""
    source = f'{e(page["source"])} · ' if page["source"] else ""
    summary = f'<p>{e(page["summary"])}</p>\n' if page["summary"] else ""
    original = (f'<p><a href="{e(page["link"])}" rel="noopener">{e(page["original"])}</a></p>\n'
                if page["link"] else "")
    main = (f"<article{lang}>\n<h1>{e(page['title'])}</h1>\n"
            f'<p><small>{source}<time datetime="{e(page["datetime"])}">{e(page["when"])}</time></small></p>\n'
            f"{summary}{original}</article>\n")
    return _frame(head, page, main, [(page["story"], page["story_label"])], searched=True)


def story_stub_page(head: dict, story: dict) -> str:
    """A compact story's small page: its reports, each linking to its page and the original.
    Not searched: like a story's full page, it repeats what its articles hold."""
    e = escape
    items = []
    for report in story["reports"]:
        lang = f' lang="{e(report["lang"])}"' if report["lang"] else ""
        original = (f' · <a href="{e(report["link"])}" rel="noopener">{e(report["original"])}</a>'
                    if report["link"] else "")
        items.append(f'<li><a href="{e(report["href"])}"{lang}>{e(report["title"])}</a> <small>'
                     f'{e(report["source"])} · <time datetime="{e(report["datetime"])}">'
                     f'{e(report["when"])}</time>{original}</small></li>')
    summary = f'<p>{e(story["summary"])}</p>\n' if story["summary"] else ""
    main = (f"<h1>{e(story['title'])}</h1>\n<p><small>{e(story['meta'])}</small></p>\n{summary}"
            f"<ol>\n" + "\n".join(items) + "\n</ol>\n")
    return _frame(head, story, main, [], searched=False)


def load_manifest(root: Path) -> dict | None:
    """The manifest ``digest pages`` wrote next to mkdocs.yml; None before its first run."""
    path = root / COMPACT_MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DigestError(f"{COMPACT_MANIFEST}: not readable ({exc}): run digest pages again")
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise DigestError(f"{COMPACT_MANIFEST}: written by another version of digest: "
                          "run digest pages again")
    return data


def stub_path(site_dir: Path, url: str) -> Path:
    return site_dir / url if url.endswith(".html") else site_dir / url / "index.html"


def write_stubs(data: dict | None, site_dir: Path) -> int:
    """Write the small page of every compact article; return how many there are.

    Written before the search step reads their heads, and minified with every page after
    it. An address where the engine did build a page is left alone: there the manifest is
    older than the build config the engine read."""
    if not data:
        return 0
    count = 0
    pages = [(page, stub_page) for page in data["pages"]]
    pages += [(story, story_stub_page) for story in data.get("stories", ())]
    for page, render in pages:
        path = stub_path(site_dir, page["url"])
        if path.is_file() and MARK not in path.read_text(encoding="utf-8")[:200]:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(path, render(data, page))
        count += 1
    return count
