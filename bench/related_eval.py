"""How good are the "See also" links? Precision@3 and the share of articles with no link,
measured on a hand-written evaluation set (tests/data/related_eval/).

Usage: .venv/bin/python bench/related_eval.py [--min-similarity X] [--sweep] [--verbose]

The set: 60 articles in English, German, Hungarian, Russian and Chinese, 56 of them in 14
stories of 4 (front matter ``eval_story:``) from 4 sources each, and 4 with no story. Stories come in
pairs that share a country, a company, a city or a sport's vocabulary (Reykjavik talks /
Icelandic volcano, strike at a planemaker / the same planemaker's door-plug blow-out, rail
strike / budget ruling in Germany, a cup final / a coach sacked after a league defeat, ...)
so a link on the topic alone counts as wrong. One of the articles with no story (the cheese
auction) is the one the seed-like story's "See also" teaser names.

A link is right when it joins two articles of the same story. Precision@3 counts every link
a page would show (its "See also" and "Follow-up coverage" lists, up to k = 3 each) and
divides the right ones by all of them; "no link" is the share of articles with neither list.
Last, the set is replayed night by night (10 days) to count the "See also" lists of older
articles that the next night's articles change (only the corpus-wide IDF can).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import load_settings  # noqa: E402
from digest.store.frontmatter import split as split_front_matter  # noqa: E402
from digest.store.posts import load_posts  # noqa: E402
from digest.site.related import compute_links  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "related_eval"


def load_eval_set(folder: Path = EVAL_SET):
    """The posts (read as the site reads them) and each post's story, or None."""
    posts, problems = load_posts(folder.parent, folder.name, ZoneInfo("UTC"))
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    stories = {}
    for post in posts:
        front, _ = split_front_matter((folder.parent / post.src).read_text(encoding="utf-8"))
        stories[post.src] = yaml.safe_load(front).get("eval_story")
    return posts, stories


def evaluate(posts, stories, k: int, min_similarity: float) -> dict:
    links = compute_links(posts, k, min_similarity)
    shown = right = 0
    wrong, unlinked = [], []
    for post in posts:
        targets = links.see_also.get(post.src, ()) + links.follow_ups.get(post.src, ())
        if not targets:
            unlinked.append(post.src)
        for target in targets:
            shown += 1
            if stories[post.src] is not None and stories[post.src] == stories[target]:
                right += 1
            else:
                wrong.append((post.src, target))
    return {"precision": right / shown if shown else 1.0, "links": shown,
            "no_link": len(unlinked) / len(posts), "wrong": wrong, "unlinked": unlinked,
            "unlinked_in_story": [src for src in unlinked if stories[src] is not None]}


def churn(posts, k: int, min_similarity: float) -> tuple[int, int]:
    """Night by night, how many "See also" lists of the articles already there change when
    the next day's articles arrive: (changed, lists compared), summed over the nights. Only
    the corpus-wide IDF can change them."""
    days = sorted({post.date.date() for post in posts})
    changed = compared = 0
    for day, next_day in zip(days, days[1:]):
        before = compute_links([p for p in posts if p.date.date() <= day], k, min_similarity).see_also
        after = compute_links([p for p in posts if p.date.date() <= next_day], k, min_similarity).see_also
        changed += sum(1 for src, srcs in before.items() if after.get(src) != srcs)
        compared += len(before)
    return changed, compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    settings = load_settings(ROOT / "mkdocs.yml")
    parser.add_argument("--min-similarity", type=float, default=settings.min_similarity)
    parser.add_argument("--k", type=int, default=settings.see_also)
    parser.add_argument("--sweep", action="store_true", help="try thresholds from 0.02 to 0.30")
    parser.add_argument("--verbose", action="store_true", help="list wrong links and unlinked articles")
    args = parser.parse_args(argv)
    posts, stories = load_eval_set()
    story_names = {story for story in stories.values() if story}
    print(f"evaluation set: {len(posts)} articles, {len(story_names)} stories, "
          f"{len({post.source for post in posts})} sources")
    thresholds = [t / 100 for t in range(2, 31, 2)] if args.sweep else [args.min_similarity]
    print("min_similarity\tprecision@3\tlinks\tno link\tno link (articles in a story)")
    for threshold in thresholds:
        result = evaluate(posts, stories, args.k, threshold)
        in_story = len(result["unlinked_in_story"]) / sum(1 for s in stories.values() if s)
        print(f"{threshold:.2f}\t{result['precision']:.3f}\t{result['links']}\t"
              f"{result['no_link']:.3f}\t{in_story:.3f}")
        if args.verbose:
            for source, target in result["wrong"]:
                print(f"  wrong: {source} -> {target}")
            for source in result["unlinked"]:
                print(f"  no link: {source} ({stories[source] or 'no story'})")
    changed, lists = churn(posts, args.k, args.min_similarity)
    print(f"See also lists changed by the next night's articles, over {len({p.date.date() for p in posts}) - 1} "
          f"nights: {changed} of {lists}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
