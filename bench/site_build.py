"""How long the reader's site takes to build at the size a real publication reaches.

Generates N realistic articles (front matter as ``digest fetch`` writes it, 150 a day, most a
summary and 30% a full text, shared topic words so see-also finds related stories) in a scratch copy of
the site, then times ``digest pages``, ``mkdocs build`` and ``digest publish`` as separate processes
and prints seconds, peak memory (largest resident set of any one process) per step, and what
the published site holds (bytes, files, the search index, the largest file, sitemap files, the
front page); ``--per-night`` sets the nightly rate (so the archive's span) and ``--nights 2``
adds a second night's articles on top and runs the steps again; with ``hugo`` installed, a plain Hugo build of the same articles
(single pages, a list per category and source) runs in the same session, for the ratio.

    .venv/bin/python bench/site_build.py                 # 1,000 and 5,000 articles
    .venv/bin/python bench/site_build.py --sizes 20000   # the large run (several minutes)
    .venv/bin/python bench/site_build.py --full-text     # every article a full text
    .venv/bin/python bench/site_build.py --sizes 1000 --keep build/bench-site
    .venv/bin/python bench/site_build.py --sizes 50000 --per-night 400 --nights 2 --no-hugo

Targets (issue 7): 5,000 articles in under 30 s, 5,000 costing at most 6x 1,000, peak memory
under 1 GiB, search index under 5 MiB at 5,000 articles. See bench/README.md, "Site build".
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from digest.store import frontmatter
from digest.store.posts import HASH_KEY, content_hash

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PER_DAY = 150
# Feeds in ../shared/corpus/real: summaries median 34 words, mean 100; full content mean 197.
# Summaries are the default (full_text: false), so 30% full texts of ~320 words is on the
# heavy side of real; --full-text makes every article a full text, the worst case.
FULL_SHARE = 0.3
CATEGORIES = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport",
              "Culture", "Climate", "Europe"]
SYLLABLES = ["ba", "ke", "lo", "mi", "nu", "ra", "si", "to", "ve", "za", "dor", "fen", "gal",
             "hum", "jin", "kor", "lam", "mer", "nor", "pel", "quin", "ros", "tal", "vin"]
COMMON = ("the a of to and in that for on with as was by at from said it its has have would "
          "after more than were their which about over new year people government minister "
          "report week city country market company police court health school water").split()


def make_words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def sentence(rng: random.Random, topic: list[str], vocabulary: list[str], words: int) -> str:
    chosen = [rng.choice(topic) if rng.random() < 0.15 else
              rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(vocabulary)
              for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def paragraph(rng, topic, vocabulary) -> str:
    return " ".join(sentence(rng, topic, vocabulary, rng.randint(12, 24)) for _ in range(rng.randint(3, 5)))


def write_articles(docs: Path, count: int, full_share: float = FULL_SHARE, seed: int = 7,
                   per_night: int = PER_DAY, first: int = 0,
                   newest: datetime = datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc),
                   topics: int | None = None) -> None:
    """``count`` posts under docs/posts/YYYY/MM/DD/, newest on ``newest``, ``per_night`` a day
    (so the archive spans ``count / per_night`` days); ``first`` numbers them on from an
    earlier call, as a second night on top of the first.

    A ``full_share`` of them carry a full text of 3-6 paragraphs (about 320 words); the rest a
    summary of 2-4 sentences (about 50 words), as a digest publishing summaries mostly does.
    Each article is about one of ``topics`` topics (default: one per 8 articles), chosen at
    random: articles of one topic become a story, so more topics mean more stories of one."""
    rng = random.Random(seed + first)
    vocabulary = make_words(rng, 3000)
    topics = [make_words(rng, 6) for _ in range(topics or max(20, count // 8))]
    sources = [f"{rng.choice(['The', 'Daily', 'Evening', 'Radio'])} {word.capitalize()} "
               f"{rng.choice(['News', 'Post', 'Times', 'Herald', 'Wire'])}" for word in make_words(rng, 40)]
    spacing = max(1, 24 * 60 // max(per_night, 1))
    for offset in range(count):
        number = first + offset
        topic = rng.choice(topics)
        when = newest - timedelta(days=offset // per_night,
                                  minutes=((offset % per_night) * spacing) % (24 * 60))
        title = " ".join(w.capitalize() for w in rng.sample(topic, 3) + rng.sample(vocabulary, 3))
        if rng.random() < full_share:
            body = "\n\n".join(paragraph(rng, topic, vocabulary) for _ in range(rng.randint(3, 6)))
        else:
            body = " ".join(sentence(rng, topic, vocabulary, rng.randint(10, 20)) for _ in range(rng.randint(2, 4)))
        source = rng.choice(sources)
        meta = {
            "title": title,
            "date": when.isoformat(),
            "source": source,
            "link": f"https://news.example.com/{number}",
            "author": f"{rng.choice(vocabulary).capitalize()} {rng.choice(vocabulary).capitalize()}",
            "categories": rng.sample(CATEGORIES, rng.choice([1, 1, 2])),
            "summary": sentence(rng, topic, vocabulary, 30)[:280],
            "id": f"https://news.example.com/{number}",
            "feed": "https://news.example.com/feed.xml",
        }
        path = docs / "posts" / f"{when:%Y/%m/%d}" / f"article-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
        # The hash line digest fetch ends a post with: without it every post reads as edited
        # by an editor, which the size budget never publishes compact (digest/site/budget.py).
        text = f"---\n{front}---\n\n{body}\n"
        path.write_text(frontmatter.append_key(text, HASH_KEY, content_hash(text)), encoding="utf-8")


def scratch_site(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    generated = shutil.ignore_patterns("index.md", "archive.md", "feed.xml", "atom.xml", "days",
                                       "categories", "sources", "feeds", "posts")
    shutil.copytree(REPO / "docs", root / "docs", ignore=generated)
    shutil.copytree(REPO / "overrides", root / "overrides",
                    ignore=shutil.ignore_patterns("digest-generated", "__pycache__"))
    (root / "feeds.txt").write_text("", encoding="utf-8")
    return root


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory in MiB.

    CPU seconds are printed too because wall time on a shared machine includes waiting for
    other processes; the build is single-threaded, so on an idle machine the two agree."""
    return step(command, cwd)[:3]


def step(command: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """``timed``'s figures and what the command printed."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        printed = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, printed


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "digest bench"
disableKinds = ["RSS"]
[taxonomies]
  category = "categories"
  source = "sources"
[pagination]
  pagerSize = 50
"""
HUGO_BASEOF = """<!doctype html><html><head><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.source }} {{ .Date.Format "Monday 2 January 2006 15:04" }} {{ .ReadingTime }} min</p>
{{ .Content }}<p><a href="{{ .Params.link }}" rel="noopener">Read the original</a></p>
<ul>{{ range first 3 (.Site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</article>{{ end }}"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.source }} {{ .Date.Format "15:04" }}<br>{{ .Params.summary }}</li>
{{ end }}</ul>{{ end }}"""


def hugo_site(root: Path, docs: Path) -> Path:
    """The same articles as a plain Hugo site: the ``source`` key becomes a taxonomy too."""
    shutil.copytree(docs / "posts", root / "content" / "posts")
    for path in (root / "content" / "posts").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        source = next(line for line in text.splitlines() if line.startswith("source:"))
        path.write_text(text.replace("\n---\n", f"\nsources: [{source[8:].strip()!r}]\n---\n", 1),
                        encoding="utf-8")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    return root


# The nightly job's site steps after digest fetch has written the night's posts: the fetch
# ends with the same site step as ``digest pages`` (which the bench runs in its place), then
# scripts/nightly.sh checks, builds and publishes.
STEPS = (("digest pages", ["digest", "pages"]),
         ("digest check", ["digest", "check"]),
         ("mkdocs build", ["mkdocs", "build", "--strict", "--quiet"]),
         ("digest publish", ["digest", "publish"]))
# GitHub lists at most this many entries of one folder.
FOLDER_LIMIT = 3000


def folder_bytes(folder: Path) -> tuple[int, int]:
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file()]
    return sum(sizes), len(sizes)


def fullest_folder(root: Path) -> tuple[int, str]:
    """The most entries (files and folders) in one folder below ``root``, and which folder."""
    best = (0, "")
    for folder, folders, files in os.walk(root):
        best = max(best, (len(folders) + len(files), os.path.relpath(folder, root.parent)))
    return best


def night(site: Path, count: int, days: int, query: str = "") -> dict:
    """One night's steps after the posts are on disk, and what the published site holds."""
    result = {"n": count, "days": days, "steps": {}, "printed": {},
              "cache": "warm" if (site / ".digest-cache").is_dir() else "cold"}
    for name, command in STEPS:
        *figures, printed = step([str(BIN / command[0]), *command[1:]], site)
        result["steps"][name], result["printed"][name] = tuple(figures), printed
    built = site / "site"
    result["site_bytes"], result["site_files"] = folder_bytes(built)
    result["index_bytes"], _ = folder_bytes(built / "pagefind")
    result["largest"] = max((path.stat().st_size for path in built.rglob("*") if path.is_file()), default=0)
    result["over_5mib"] = sum(1 for path in built.rglob("*") if path.is_file() and path.stat().st_size > 5 * 2**20)
    result["sitemaps"] = 1 + len(list(built.glob("sitemap-*.xml")))
    result["html_files"] = sum(1 for _ in built.rglob("*.html"))
    result["front_kb"] = (built / "index.html").stat().st_size / 1000
    result["full_pages"] = next((line.strip() for line in result["printed"]["digest pages"].splitlines()
                                 if line.strip().startswith("full pages:")), "-")
    result["posts_bytes"], _ = folder_bytes(site / "docs" / "posts")
    result["fullest_docs"] = fullest_folder(site / "docs")
    result["fullest_site"] = fullest_folder(built)
    cache = site / ".digest-cache" / "posts.pickle"
    result["cache_bytes"] = cache.stat().st_size if cache.is_file() else 0
    if query:
        result["query"] = search_first_query(built, query)
    return result


def search_first_query(built: Path, word: str) -> tuple[int, float]:
    """Bytes a reader's first Pagefind query downloads, and ms to the first result, in
    Debian's chromium over HTTP on 127.0.0.1 (bench/search_compare.py's measurement)."""
    from playwright.sync_api import sync_playwright

    from search_compare import CHROMIUM, first_query, serve

    server, base = serve(built)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                return first_query(browser, base, "pagefind", word)
            finally:
                browser.close()
    finally:
        server.shutdown()


def run_size(count: int, workdir: Path, hugo: str | None, full_share: float,
             per_night: int = PER_DAY, nights: int = 1, query: bool = False) -> list[dict]:
    """``count`` articles at ``per_night`` a day, then each further night ``per_night`` more
    (dated a day later) on top, as the nightly job meets them."""
    site = scratch_site(workdir / f"site-{count}")
    newest = datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc)
    write_articles(site / "docs", count, full_share, per_night=per_night, newest=newest)
    # A word of the newest article's title: what a reader searching tonight's news types.
    word = ""
    if query:
        newest_post = next((site / "docs" / "posts").rglob("article-0.md")).read_text(encoding="utf-8")
        word = re.search(r"^title: (\S+)", newest_post, re.MULTILINE).group(1).lower()
    days = -(-count // per_night)
    results = [night(site, count, days, word)]
    for extra in range(1, nights):
        write_articles(site / "docs", per_night, full_share, per_night=per_night,
                       first=count + (extra - 1) * per_night, newest=newest + timedelta(days=extra))
        results.append(night(site, count + extra * per_night, days + extra, word))
    if hugo:
        hugo_root = hugo_site(workdir / f"hugo-{count}", site / "docs")
        results[0]["hugo"] = timed([hugo, "--quiet", "-s", str(hugo_root)], hugo_root)
    return results


def report(results: list[dict]) -> None:
    print("seconds are wall (CPU in brackets), peak resident MiB of the step's largest process")
    names = [name for name, _ in STEPS]
    print(f"{'articles':>8} {'days':>5} {'cache':>5} " + " ".join(f"{name:>26}" for name in names)
          + f" {'night s':>8} {'site MB':>8} {'files':>7} {'search MB':>9} {'largest MiB':>11} "
            f"{'sitemaps':>8} {'front KB':>8} {'hugo s':>14}")
    for r in results:
        steps = [r["steps"][name] for name in names]
        cells = " ".join(f"{wall:7.1f} ({cpu:6.1f}) {mib:6.0f} MiB" for wall, cpu, mib in steps)
        hugo = f"{r['hugo'][0]:6.1f} ({r['hugo'][1]:5.1f})" if r.get("hugo") else f"{'-':>14}"
        print(f"{r['n']:8d} {r['days']:5d} {r['cache']:>5} {cells} {sum(s[0] for s in steps):8.1f} "
              f"{r['site_bytes'] / 1e6:8.1f} {r['site_files']:7d} {r['index_bytes'] / 1e6:9.1f} "
              f"{r['largest'] / 2**20:11.2f} {r['sitemaps']:8d} {r['front_kb']:8.0f} {hugo}")
    print()
    for r in results:
        query = (f"; first query {r['query'][0] / 1000:.0f} KB, {r['query'][1]:.0f} ms"
                 if r.get("query") else "")
        print(f"{r['n']} articles: {r['full_pages']}; files over 5 MiB: {r['over_5mib']}; posts "
              f"{r['posts_bytes'] / 1e6:.1f} MB; post cache {r['cache_bytes'] / 1e6:.1f} MB{query}")
        for where, (entries, folder) in (("repo (docs/)", r["fullest_docs"]),
                                         ("published site", r["fullest_site"])):
            flag = " OVER GitHub's 3,000" if entries > FOLDER_LIMIT and where.startswith("repo") else ""
            print(f"  fullest folder in the {where}: {folder} ({entries} entries){flag}")
    if len(results) > 1:
        first, second = results[0], results[1]
        print(f"the second night's {second['n'] - first['n']} posts add "
              f"{(second['posts_bytes'] - first['posts_bytes']) / 1e3:.0f} KB of posts to the repo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--full-text", action="store_true",
                        help="every article a full text of 3-6 paragraphs (default: 30%%)")
    parser.add_argument("--per-night", type=int, default=PER_DAY,
                        help=f"articles a night (default {PER_DAY}): the archive spans sizes / per-night days")
    parser.add_argument("--nights", type=int, default=1,
                        help="1: build once; 2: then a second night's articles on top, and so on")
    parser.add_argument("--query", action="store_true",
                        help="also measure a reader's first search in chromium (Pagefind)")
    parser.add_argument("--keep", type=Path, help="build here and keep the sites (default: a temp folder)")
    args = parser.parse_args(argv)
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not hugo and not args.no_hugo:
        print("hugo is not installed (apt-get install hugo): no comparison")
    workdir = (args.keep or Path(tempfile.mkdtemp(prefix="digest-bench-"))).resolve()
    if args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    try:
        results = []
        for count in args.sizes:
            results += run_size(count, workdir, hugo, 1.0 if args.full_text else FULL_SHARE,
                                args.per_night, args.nights, args.query)
            print(f"  built {count} articles: {results[-1]['html_files']} HTML pages", flush=True)
        report(results)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
