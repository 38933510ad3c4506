"""Helpers shared by test modules (fixtures are in conftest.py); no test module imports another.

- running the commands as a publisher does: ``digest``, ``mkdocs_build``, ``run_ok``;
- the built test site (tests/data/site) that tests/test_site.py and tests/test_browser.py read;
- a reader's view of Markdown: ``render`` with the site's extensions, ``unsafe_markup``;
- the site step (``digest pages``) over tests/data/pages;
- the labelled evaluation sets (tests/data/related_eval, stories_eval) as articles, and a
  feed of them for a local server to serve.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import html
import json
import re
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from email.utils import format_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import jinja2
import markdown
import yaml
from lxml import html as lxml_html

from digest.config import load_settings
from digest.pipeline import refresh_pages
from digest.site.urls import FRAGMENTS_DIR, fragments_file, page_url
from digest.store.frontmatter import split as split_front_matter
from digest.store.posts import Post
from tests.conftest import DATA, REPO, FeedServer, copy_site

BIN = Path(sys.executable).parent


# --- the commands --------------------------------------------------------------------------

def digest(site: Path, *args: str) -> subprocess.CompletedProcess:
    """``digest ARGS`` as a subprocess in ``site``."""
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=site, capture_output=True,
                          text=True, timeout=120)


def mkdocs_build(site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` in ``site``, with nothing from the environment but PATH."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
                          cwd=site, capture_output=True, text=True, timeout=300,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})


def run_ok(command: list[str], cwd: Path) -> None:
    """Run ``command`` in ``cwd``; fail the test with its output unless it succeeds."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"


# --- the built test site -------------------------------------------------------------------

SITE_FEEDS = DATA / "site"


def build_test_site(root: Path, engine: str = "mkdocs", publish: bool = True,
                    shared: Path | None = None) -> Path:
    """Copy the site, fetch tests/data/site's feeds from a local server, build with ``engine``
    (mkdocs or zensical) and, unless told not to, ``digest publish`` as the nightly job does;
    return ``site/``.

    With ``shared`` (conftest's ``shared_builds``), the fetch and each (engine, publish) build
    are made once per test run, by whichever xdist worker asks first, and ``root`` receives a
    copy: each caller still gets a site of its own to change, at a fraction of the cost."""
    if shared is None:
        fetch_test_site(root)
        build_fetched(root, engine, publish)
    else:
        shutil.copytree(_shared_build(shared, engine, publish), root, symlinks=True)
    return root / "site"


def fetch_test_site(root: Path) -> None:
    """A copy of the site at ``root`` with tests/data/site's feeds fetched into it."""
    copy_site(root, search_full_days=1)      # 21 Nov is old next to 23 Nov
    # An editor's hand-written post whose title carries markup: the theme must escape it.
    shutil.copy(SITE_FEEDS / "markup-title.md", root / "docs" / "posts" / "editors" / "markup-title.md")
    fetch_test_feeds(root)


def build_fetched(root: Path, engine: str, publish: bool) -> None:
    """Build the site at ``root`` with ``engine`` and, if asked, ``digest publish`` it."""
    if engine == "zensical":
        run_ok([str(BIN / "zensical"), "build", "--config-file", "mkdocs.yml"], root)
    else:
        run_ok([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], root)
    if publish:
        run_ok([str(BIN / "digest"), "publish"], root)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path`` across processes (xdist workers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _shared_build(shared: Path, engine: str | None, publish: bool) -> Path:
    """The root of the shared site, fetched (``engine`` None), built, or built and published
    (from a copy of the stage before); made under a lock and marked done only when complete,
    so a failed attempt is made again, never reused half-made."""
    name = f"{engine or 'fetched'}{'-published' if publish else ''}"
    root, done = shared / name / "root", shared / name / "done"
    with _locked(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(root.parent, ignore_errors=True)
            if engine is None:
                fetch_test_site(root)
            elif publish:
                shutil.copytree(_shared_build(shared, engine, False), root, symlinks=True)
                run_ok([str(BIN / "digest"), "publish"], root)
            else:
                shutil.copytree(_shared_build(shared, None, False), root, symlinks=True)
                build_fetched(root, engine, publish=False)
            done.touch()
    return root


def fetch_test_feeds(root: Path) -> None:
    """``digest fetch --strict`` in the site at ``root`` of tests/data/site's two feeds (an RSS
    and an Atom one), served from a local server for the run."""
    server = FeedServer()
    server.thread.start()
    try:
        rss = server.add_file("/tideline.xml", SITE_FEEDS / "tideline.xml")
        atom = server.add_file("/river-post.atom", SITE_FEEDS / "river-post.atom",
                               content_type="application/atom+xml")
        (root / "feeds.txt").write_text(f"{rss}\n{atom}\n", encoding="utf-8")
        run_ok([str(BIN / "digest"), "fetch", "--strict"], root)
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def pagefind_records(site: Path) -> dict[str, str]:
    """Search records by URL, as ``digest publish`` had Pagefind write them (its fragments
    are gzipped JSON after a signature)."""
    records = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        records[record["url"]] = record["content"]
    return records


# --- a real browser (Debian's chromium through Playwright, never a browser download) ----

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

# Every page a reader visits: one <h1>, every image with alt text, every link with a name
# (its text, an aria-label or title, or an image's alt inside it), as a screen reader sees it.
ACCESSIBILITY = """() => {
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const named = a => (a.innerText || '').trim() || a.getAttribute('aria-label') ||
      a.getAttribute('title') || [...a.querySelectorAll('img[alt]')].some(i => i.alt.trim());
  return {
    h1: document.querySelectorAll('h1').length,
    imagesWithoutAlt: [...document.querySelectorAll('img')].filter(i => !i.hasAttribute('alt')).map(i => i.src),
    unnamedLinks: [...document.querySelectorAll('a[href]')].filter(a => visible(a) && !named(a)).map(a => a.outerHTML.slice(0, 120)),
  };
}"""


def check_accessibility(page) -> None:
    report = page.evaluate(ACCESSIBILITY)
    assert report["h1"] == 1, (page.url, report)
    assert not report["imagesWithoutAlt"], (page.url, report)
    assert not report["unnamedLinks"], (page.url, report)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a built site without a log line per request."""

    def log_message(self, *args):
        pass


def serve_static(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """A built site served on 127.0.0.1 for the browser: the server (to shut down) and its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- a reader's view of Markdown -------------------------------------------------------------

UNSAFE_TAGS = {"script", "style", "iframe", "object", "embed", "form", "meta", "base", "link",
               "applet", "frame", "frameset", "svg", "math", "input", "button", "textarea"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "srcset"}


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_extensions() -> tuple[list, dict]:
    """The Markdown extensions exactly as mkdocs.yml enables them."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.load(text, Loader=_Loader)
    names, configs = [], {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            (name, options), = item.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(item)
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = site_extensions()


def render(text: str) -> str:
    """Markdown -> HTML as the site renders it."""
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def unsafe_markup(page_html: str) -> list[str]:
    """What in rendered HTML could run: tags, event handlers, script URLs, style."""
    page_html = CONTROL_CHARACTERS.sub("", page_html)     # lxml refuses them; browsers ignore them
    if not page_html.strip():
        return []
    tree = lxml_html.fragment_fromstring(page_html, create_parent="div")
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in UNSAFE_TAGS:
            problems.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "style":
                problems.append(f"{name}= on <{element.tag}>")
            squashed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squashed.startswith(("javascript:", "vbscript:", "data:")):
                problems.append(f"{name}={value!r}")
    return problems


# --- the site step over tests/data/pages ---------------------------------------------------

PAGES_POSTS = DATA / "pages" / "posts"
FRAGMENT_PARTS = {"byline": 0, "original": 1, "see-also": 2}


def configure(site: Path, language: str = "en", **digest) -> None:
    """Set theme.language and extra.digest options in the scratch site's mkdocs.yml."""
    path = site / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["theme"]["language"] = language
    config["extra"]["digest"].update(digest)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_pages(site: Path):
    """``digest pages`` in the scratch site, as the command runs it."""
    return refresh_pages(load_settings(site / "mkdocs.yml"))


def read_doc(site: Path, src: str) -> str:
    return (site / "docs" / src).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def fragment(site: Path, src: str, part: str | None = None) -> str:
    """An article's fragment as the theme renders it: one part, or all three."""
    url = page_url(src)
    path = site / "overrides" / FRAGMENTS_DIR / fragments_file(url, "posts")
    template = jinja2.Template(path.read_text(encoding="utf-8"))
    parts = [part] if part else list(FRAGMENT_PARTS)
    return "\n".join(template.render(page={"url": url}, digest_part=FRAGMENT_PARTS[name])
                     for name in parts)


def budget_for(settings, posts: list[Post], full_days: int) -> float:
    """The smallest site_budget (MB) under which the newest ``full_days`` days keep full
    pages, found with the planner itself (digest/site/budget.py): a test must not hard-code
    what the size model estimates."""
    from dataclasses import replace

    from digest.site.budget import plan_pages

    low, high = 0.0001, 100_000.0
    for _ in range(60):
        middle = (low + high) / 2
        if plan_pages(replace(settings, site_budget=middle), posts).full_days >= full_days:
            high = middle
        else:
            low = middle
    return high


def make_post(name: str, title: str, text: str, date: datetime, source: str = "Wire",
              **extra) -> Post:
    """A generated post at ``posts/<name>.md``, as ``load_posts`` would read it."""
    values = dict(src=f"posts/{name}.md", id=name, title=title, date=date, source=source,
                  link=f"https://example.org/{name}", author="", categories=(), summary="",
                  text=text, see_also=None, support=True, generated=True)
    values.update(extra)
    return Post(**values)


def small_cms(site_name: str, items: list[tuple[str, str]]) -> str:
    """A small CMS's feed: GUIDs that are row numbers, unique only within the feed."""
    entries = "".join(
        f"<item><title>{title}</title><link>https://{site_name}.example/?p={guid}</link>"
        f'<guid isPermaLink="false">{guid}</guid><pubDate>Mon, 23 Nov 2026 0{guid}:00:00 +0000</pubDate>'
        f"<description>{title}, as the {site_name} desk tells it in its own words.</description></item>"
        for guid, title in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{site_name}</title>'
            f"<link>https://{site_name}.example/</link><description>x</description>{entries}</channel></rss>")


def fetch_site(site) -> dict[str, tuple[str, str]]:
    """Run `digest fetch` in ``site``; every generated post's id -> (title, feed)."""
    from digest.cli import main
    from digest.store.posts import load_posts

    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 0
    posts, _ = load_posts(site / "docs", "posts", __import__("zoneinfo").ZoneInfo("UTC"))
    found = {}
    for post in posts:
        if post.generated:
            assert post.id not in found, f"{post.id} written twice"
            found[post.id] = (post.title, post.feed)
    return found


# A feed of one story, for tests of what a single fetched article becomes.
ONE_STORY_FEED = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                  "<link>https://wire.example/</link><description>x</description><item>"
                  "<title>One story</title><link>https://wire.example/1</link><guid>https://wire.example/1</guid>"
                  "<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description>Text.</description>"
                  "</item></channel></rss>")


# --- the labelled evaluation sets, as feeds ------------------------------------------------

def eval_articles(folder: str, sources: set[str] | None = None) -> list[dict]:
    """The articles of tests/data/``folder`` (front matter, ``name`` and ``body``), in file
    order; only those of ``sources`` when given."""
    found = []
    for path in sorted((DATA / folder).glob("*.md")):
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(front)
        if sources is None or meta["source"] in sources:
            found.append({**meta, "name": path.stem, "body": body.strip()})
    return found


def eval_rss(source: str, base: str, articles: list[dict], with_summary: bool = False) -> str:
    """An RSS feed of ``articles`` as ``source`` at ``base`` would publish it: each one's
    text (after its summary, when asked) as the description's paragraphs."""
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = source
    ET.SubElement(channel, "link").text = base + "/"
    ET.SubElement(channel, "description").text = f"News from {source}"
    for article in articles:
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = article["title"]
        ET.SubElement(item, "link").text = f"{base}/news/{article['name']}"
        ET.SubElement(item, "guid").text = f"{base}/news/{article['name']}"
        ET.SubElement(item, "pubDate").text = format_datetime(datetime.fromisoformat(article["date"]))
        for category in article["categories"]:
            ET.SubElement(item, "category").text = category
        paragraphs = ([article["summary"]] if with_summary else []) + article["body"].split("\n\n")
        ET.SubElement(item, "description").text = "".join(f"<p>{html.escape(part)}</p>" for part in paragraphs)
    return ET.tostring(root, encoding="unicode")


# --- posts of one category, each a story of its own (pagination) -----------------------

SYLLABLES = ("ka", "lo", "mi", "nu", "re", "si", "to", "va", "ze", "bo", "du", "fe")


def words_of(number: int) -> list[str]:
    """Three made-up words no other post number has: each post is a story of its own."""
    def word(n: int) -> str:
        return "".join(SYLLABLES[n // len(SYLLABLES) ** k % len(SYLLABLES)] for k in range(3)) + "x"
    return [word(number * 3 + k) for k in range(3)]


def write_transport_post(site, number: int, day: int, source: str, name: str | None = None) -> str:
    """A Transport post on ``day`` November 2026, of its own story unless ``name`` is given:
    then it is another source's report of post ``number``'s story (its words, its story)."""
    words = words_of(number)
    title = " ".join(words).capitalize() + (" report" if name else "")
    name = name or f"post-{number}"
    path = site / "docs" / "posts" / "2026" / "11" / f"{day:02d}" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: 2026-11-{day:02d}T{8 + number % 12:02d}:00:00+00:00\n"
                    f"source: {source}\nlink: https://example.org/{name}\ncategories:\n- Transport\n"
                    f"id: https://example.org/{name}\nfeed: https://example.org/feed.xml\n---\n\n"
                    f"{title}. " + " ".join(words * 3) + ".\n", encoding="utf-8")
    return path.relative_to(site / "docs").as_posix()


def nights_of_transport(site, nights: int, per_night: int, first_day: int = 1, start: int = 0) -> int:
    """``per_night`` posts of Harbour Wire a night from ``first_day``, numbered on from
    ``start``; the next number."""
    number = start
    for night in range(nights):
        for _ in range(per_night):
            write_transport_post(site, number, first_day + night, "Harbour Wire")
            number += 1
    return number
