"""The size budget at a year, from the model (digest/site/budget.py): full days and estimate.

Synthetic posts of bench/site_build.py's shape (the same generator's titles, summaries and
texts, 30% full texts), ``--per-night`` a day, a story page per five articles (five reports
each), planned with the default 900 MB ``site_budget``. No build: it prints what the plan
(``digest pages``) would say, for the table in bench/README.md ("Size budget").

    .venv/bin/python bench/budget_year.py                   # 50,000 100,000 150,000 170,000
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from site_build import CATEGORIES, FULL_SHARE, make_words, paragraph, sentence

from digest.config import load_settings
from digest.site.budget import plan_pages
from digest.store.posts import Post

REPO = Path(__file__).resolve().parent.parent
NEWEST = datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc)


def posts_of(count: int, per_night: int, seed: int = 7) -> list[Post]:
    rng = random.Random(seed)
    vocabulary = make_words(rng, 3000)
    topics = [make_words(rng, 6) for _ in range(200)]
    spacing = max(1, 24 * 60 // per_night)
    posts = []
    for number in range(count):
        topic = rng.choice(topics)
        when = NEWEST - timedelta(days=number // per_night,
                                  minutes=((number % per_night) * spacing) % (24 * 60))
        if rng.random() < FULL_SHARE:
            text = "\n\n".join(paragraph(rng, topic, vocabulary) for _ in range(rng.randint(3, 6)))
        else:
            text = " ".join(sentence(rng, topic, vocabulary, rng.randint(10, 20)) for _ in range(rng.randint(2, 4)))
        posts.append(Post(
            src=f"posts/{when:%Y/%m/%d}/article-{number}.md", id=str(number),
            title=" ".join(w.capitalize() for w in rng.sample(topic, 3) + rng.sample(vocabulary, 3)),
            date=when, source="Wire", link=f"https://news.example.com/{number}", author="",
            categories=tuple(rng.sample(CATEGORIES, rng.choice([1, 1, 2]))),
            summary=sentence(rng, topic, vocabulary, 30)[:280], text=text, see_also=None,
            support=True, generated=True, feed="https://news.example.com/feed.xml"))
    return posts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50_000, 100_000, 150_000, 170_000])
    parser.add_argument("--per-night", type=int, default=400)
    args = parser.parse_args(argv)
    settings = load_settings(REPO / "mkdocs.yml")
    print("| articles (days) | full days | compact articles | estimate |")
    print("| --- | ---: | ---: | ---: |")
    for count in args.sizes:
        posts = posts_of(count, args.per_night)
        stories = {f"stories/s{n}.md": posts[n * 5: n * 5 + 5] for n in range(count // 5)}
        plan = plan_pages(settings, posts, stories)
        over = " (over the allowance)" if plan.estimate > plan.allowance else ""
        print(f"| {count:,} ({plan.days}) | {plan.full_days} | {len(plan.compact):,} | "
              f"{plan.estimate / 1e6:,.1f} MB{over} |")
        print("    " + "\n    ".join(plan.lines()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
