"""The size budget's model (digest/site/budget.py ``SizeModel``), measured on real builds.

Generates N articles as ``digest fetch`` writes them (bench/site_build.py's generator, with
the ``digest_hash`` that makes them read as unedited), then builds and publishes the
site three times, each with `digest pages`, `mkdocs build` and `digest publish`:

- every article full (a budget far over the site), and its search index again with
  ``search_full_days: 1`` for what a searched text costs;
- a budget only the newest day fits: every older article compact (and the category and
  source pages of compact articles only left out: what that saves is ``unlisted``);
- no article at all: what the site weighs by itself.

It prints each constant the model needs, fitted from those builds (article page bytes
against the Markdown text's, the small page and month line against the title and summary),
the model's estimate next to the measured size of both sites, and MkDocs' build time with
and without compaction.

    .venv/bin/python bench/budget_model.py                   # 3,000 articles, 150 a night
    .venv/bin/python bench/budget_model.py --count 6000 --per-night 400
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from site_build import BIN, scratch_site, timed, write_articles

from digest.config import load_settings
from digest.site.budget import MODEL, SizeModel, plan_pages
from digest.site.stories import assign_stories
from digest.site.story_file import load_assignment
from digest.site.story_pages import StoryView, story_pages_of
from digest.site.urls import page_url
from digest.store.posts import load_posts

LISTED_PER_BYTE = 4.0   # a title and summary are on the day page, 1-2 categories, the source, in search


def configure(root: Path, **digest) -> None:
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["extra"]["digest"].update(digest)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


def build(root: Path) -> float:
    """digest pages, then mkdocs build; the build's CPU seconds."""
    subprocess.run([str(BIN / "digest"), "pages"], cwd=root, check=True, capture_output=True)
    _, cpu, _ = timed([str(BIN / "mkdocs"), "build", "--quiet"], root)
    return cpu


def publish(root: Path, site: Path) -> None:
    subprocess.run([str(BIN / "digest"), "publish", "--site-dir", str(site)], cwd=root,
                   check=True, capture_output=True)


def fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares y = a + b x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0
    return mean_y - slope * mean_x, slope


def story_points(site: Path, small: bool) -> list[tuple[int, int]]:
    """(reports, bytes) of every story page: the full ones (a heading per report), or the
    small ones publish wrote (an item per report)."""
    points = []
    for path in (site / "stories").glob("*/index.html"):
        text = path.read_text(encoding="utf-8")
        if ("digest-compact" in text[:200]) == small:
            reports = text.count("<li>") if small else text.count("<h3")
            points.append((reports, len(text.encode())))
    return points


def listing_bytes(site: Path) -> int:
    """The category and source pages (listings.paged leaves out those of compact items)."""
    return folder_bytes(site / "categories") + folder_bytes(site / "sources")


def heading(post) -> int:
    return len(post.title.encode()) + len(post.summary.encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--per-night", type=int, default=150)
    parser.add_argument("--keep", type=Path, help="build here and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="digest-budget-"))
    root = scratch_site(work / "site")
    write_articles(root / "docs", args.count, per_night=args.per_night)
    settings = load_settings(root / "mkdocs.yml")
    posts, _ = load_posts(settings.docs_dir, settings.posts_dir, ZoneInfo(settings.timezone))
    generated = [post for post in posts if post.generated]
    assert not any(post.edited for post in generated), "the stamped posts must read as unedited"

    # 1. Every article full.
    configure(root, site_budget=100_000)
    full_cpu = build(root)
    # The stories as digest pages grouped them (the plan counts their pages).
    stories = assign_stories(posts, load_assignment(root / "digest-stories.json")[0])
    pages_of = story_pages_of(StoryView.of(stories, posts, settings.language))
    searchless = work / "site-search0"
    shutil.copytree(root / "site", searchless)
    publish(root, root / "site")
    full = root / "site"
    full_total = folder_bytes(full)
    full_listings = listing_bytes(full)
    pages = [(len(post.text.encode()), (full / page_url(post.src) / "index.html").stat().st_size)
             for post in generated]
    full_page, full_per_byte = fit(pages)
    stories_full = story_points(full, small=False)
    story_page, story_per_report = fit(stories_full)
    configure(root, search_full_days=1)      # the least it takes
    publish(root, searchless)
    configure(root, search_full_days=settings.search_full_days)
    plan_all = plan_pages(replace(settings, site_budget=100_000), posts)     # its days
    newest = max(post.date for post in posts)
    # The days searched by their text with search_full_days, and not with 1.
    window = [post for post in generated
              if 1 < (newest.date() - post.date.date()).days <= settings.search_full_days]
    searched_text = sum(len(post.text.encode()) for post in window)
    searched_per_byte = ((folder_bytes(full / "pagefind") - folder_bytes(searchless / "pagefind"))
                         / max(1, searched_text))

    # 2. Only the newest day full.
    configure(root, site_budget=0.001)
    compact_cpu = build(root)
    publish(root, root / "site")
    compact_site = root / "site"
    compact_total = folder_bytes(compact_site)
    plan_small = plan_pages(replace(settings, site_budget=0.001), posts)
    compact_posts = [post for post in generated if post.src in plan_small.compact]
    stubs = [(heading(post), (compact_site / page_url(post.src) / "index.html").stat().st_size)
             for post in compact_posts]
    stub, stub_per_byte = fit(stubs)
    month_line = folder_bytes(compact_site / "archive") / max(1, len(compact_posts))
    small_story, small_story_per_report = fit(story_points(compact_site, small=True) or [(1, 0), (2, 0)])
    mean_heading = sum(heading(post) for post in compact_posts) / max(1, len(compact_posts))
    # Numbered category and source pages of compact articles only are not published: here
    # most lines are on first pages (up to 2 x page_size items a listing), which stay; at a
    # year nearly every line is on a numbered page, so a compact article saves its share of
    # the category and source pages of the full site (``unlisted``).
    unlisted_here = (full_listings - listing_bytes(compact_site)) / max(1, len(compact_posts))
    unlisted = full_listings / len(generated)

    # 3. No article.
    for folder in (root / "docs" / "posts").iterdir():
        if folder.name[:1].isdigit():
            shutil.rmtree(folder)
    build(root)
    publish(root, root / "site")
    empty_total = folder_bytes(root / "site")

    page_bytes = sum(size for _, size in pages)
    listed_total = (full_total - empty_total - page_bytes - searched_per_byte * searched_text
                    - sum(size for _, size in stories_full))
    listed = (listed_total - LISTED_PER_BYTE * sum(heading(post) for post in generated)) / len(generated)
    model = SizeModel(site=empty_total, listed=round(listed), listed_per_byte=LISTED_PER_BYTE,
                      full_page=round(full_page), full_per_byte=round(full_per_byte, 2),
                      searched_per_byte=round(searched_per_byte, 2),
                      compact=round(stub + month_line - mean_heading),
                      compact_per_byte=round(stub_per_byte + 1, 2), unlisted=round(unlisted),
                      story_page=round(story_page), story_per_report=round(story_per_report),
                      small_story=round(small_story), small_story_per_report=round(small_story_per_report),
                      spare=MODEL.spare)
    # The empty site still has the editors' own posts, which the plan counts one by one.
    editors = [post for post in posts if not post.generated]
    model = replace(model, site=empty_total - sum(model.listed_bytes(post) + model.full_bytes(post, True)
                                                  for post in editors))
    estimate_full = plan_pages(replace(settings, site_budget=100_000), posts, pages_of, model).estimate
    estimate_small = plan_pages(replace(settings, site_budget=0.001), posts, pages_of, model).estimate
    result = {
        "articles": len(generated), "per_night": args.per_night, "days": plan_all.days,
        "model": model.__dict__,
        "full site bytes": full_total, "estimated": estimate_full,
        "compact site bytes": compact_total, "estimated (compact)": estimate_small,
        "compact articles": len(compact_posts),
        "category and source pages' bytes an article (full site)": round(unlisted),
        "... saved a compact article at this size (most lines on first pages)": round(unlisted_here),
        "bytes per full article (measured, all of it)": round((full_total - empty_total) / len(generated)),
        "bytes per compact article (measured, all of it)": round(
            (compact_total - empty_total - (full_total - empty_total) / len(generated)
             * (len(generated) - len(compact_posts))) / max(1, len(compact_posts))),
        "full article page, mean bytes": round(page_bytes / len(pages)),
        "small page, mean bytes": round(sum(size for _, size in stubs) / max(1, len(stubs))),
        "story pages": len(stories_full),
        "mkdocs build CPU s, all full": round(full_cpu, 1),
        "mkdocs build CPU s, compact": round(compact_cpu, 1),
    }
    print(json.dumps(result, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
