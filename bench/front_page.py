"""How big is the front page at the size of the repo's own feeds: 400 articles a night?

Usage: .venv/bin/python bench/front_page.py [--per-day 400] [--days 3]

Writes ``--days`` nights of ``--per-day`` articles (bench/site_build.py's synthetic articles:
front matter as ``digest fetch`` writes it, summaries and some full texts, topic words shared
so that some articles form stories; a night's articles spread over its 24 hours, so the
latest edition holds all ``--per-day`` of them) into a scratch copy of the site, runs
``digest pages``, ``mkdocs build --strict`` and ``digest publish``, and prints the front
page's HTML size as built and as published (minified), its top stories and the stories and
articles of the edition it lists. Target (issue 13): under 150 KB at 400 a night.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_build  # noqa: E402

STEPS = (["digest", "pages"], ["mkdocs", "build", "--strict", "--quiet"], ["digest", "publish"])


def edition_size(docs: Path, per_day: int) -> int:
    """How many posts the front page's edition holds: those of the 24 hours before the newest
    (digest/site/story_pages.py's edition_of), counted from the posts' dates."""
    dates = [site_build.datetime.fromisoformat(line[6:].strip().strip("'"))
             for path in (docs / "posts").rglob("*.md")
             for line in path.read_text(encoding="utf-8").splitlines()[:4] if line.startswith("date: ")]
    newest = max(dates)
    return sum(1 for when in dates if newest - when < timedelta(hours=24))


def add_images(docs: Path, share: float) -> None:
    """Give ``share`` of the posts a lead image, as feeds with ``media:content`` do: every
    listing line of such a post shows its thumbnail (an ``<img>`` of about 200 bytes)."""
    for number, path in enumerate(sorted((docs / "posts").rglob("*.md"))):
        if (number * 0.618) % 1 < share:        # spread evenly, the same posts every run
            text = path.read_text(encoding="utf-8")
            image = f"https://images.news.example.com/2026/11/{path.stem}-1200x675.jpg?quality=80"
            path.write_text(text.replace("\nfeed: ", f"\nimage: {image}\nfeed: ", 1), encoding="utf-8")


def edition_stories(site: Path, per_day: int) -> int:
    """How many stories the latest night's articles (numbers below ``per_day``: write_articles
    numbers from the newest) are in, from the assignment ``digest pages`` kept."""
    kept = json.loads((site / "digest-stories.json").read_text(encoding="utf-8"))
    tonight = lambda post_id: int(post_id.rsplit("/", 1)[1]) < per_day      # noqa: E731
    return (sum(1 for ids in kept["stories"].values() if any(tonight(post_id) for post_id in ids))
            + sum(1 for post_id in kept.get("alone", []) if tonight(post_id)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--topics", type=int, default=None,
                        help="topics the articles are about (default: one per 8 articles); "
                             "many more than articles make nearly every article a story of its own")
    parser.add_argument("--image-share", type=float, default=0.0,
                        help="the share of articles with a lead image (a thumbnail on every line)")
    parser.add_argument("--front-page-lines", type=int, default=None,
                        help="the site's front_page_lines (default: the setting's default); "
                             "100000 shows every story, as before the setting")
    parser.add_argument("--keep", type=Path, help="build here and keep the site (default: a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        site = site_build.scratch_site((args.keep or Path(workdir)).resolve() / "site")
        site_build.write_articles(site / "docs", args.per_day * args.days, per_night=args.per_day,
                                 topics=args.topics)
        add_images(site / "docs", args.image_share)
        if args.front_page_lines:
            config = site / "mkdocs.yml"
            config.write_text(config.read_text(encoding="utf-8").replace(
                "\n  digest:\n", f"\n  digest:\n    front_page_lines: {args.front_page_lines}\n", 1),
                encoding="utf-8")
        edition = edition_size(site / "docs", args.per_day)
        sizes = {}
        for command in STEPS:
            subprocess.run([str(site_build.BIN / command[0])] + command[1:], cwd=site, check=True,
                           capture_output=True)
            if command[1] == "build":       # as built, before digest publish minifies it
                sizes["built"] = (site / "site" / "index.html").stat().st_size
        sizes["published"] = (site / "site" / "index.html").stat().st_size
        markdown = (site / "docs" / "index.md").read_text(encoding="utf-8")
        top = markdown.count('class="digest-story digest-top-story"')
        lines = markdown.count('<p class="digest-story" markdown>')
        links = len(re.findall(r"\]\(posts/", markdown))
        more = len(re.findall(r'class="digest-more"', markdown))
        stories = len(list((site / "docs" / "stories").glob("*.md")))
        print(f"{args.days} nights of {args.per_day} articles ({args.image_share:.0%} with an image), "
              f"{edition} in the latest edition, "
              f"{edition_stories(site, args.per_day)} stories: "
              f"front page {sizes['built'] / 1000:.1f} KB of HTML as built, "
              f"{sizes['published'] / 1000:.1f} KB published (minified); {top} top stories and "
              f"{lines} more stories in one line each, {more} links to the rest of a category, "
              f"{links} links to articles; {stories} story pages in the whole site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
