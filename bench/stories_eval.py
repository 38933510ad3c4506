"""How good are the stories? B-cubed precision, recall and F1 on a hand-written evaluation
set (tests/data/stories_eval/), the errors story by story, and the coverage links an article
page would show, on the held-out set of related articles (tests/data/related_eval/).

Usage: .venv/bin/python bench/stories_eval.py [--quiet]

The set (see its ABOUT.txt): 92 articles in English, German and Hungarian; 18 developing
stories told by 3 to 5 sources over several days each, near-topic distractors (the same
company, port, town, team or kind of disaster in another story the same week), singletons,
and a cross-language subset (stories told in two or three languages). Front matter
``eval_story:`` names a post's true story; a post without one is a story of its own.

B-cubed (Bagga and Baldwin 1998): for each post, precision is the share of the posts in its
computed story that are in its true story, recall the share of its true story that is in its
computed story; both are averaged over the posts, and F1 is their harmonic mean.

Two ways of computing the stories are measured: all at once (a first run), and night by night
as the nightly job does (each night's posts placed into the assignment kept from the night
before); the second also counts the posts of earlier nights that a new night moved.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.config import load_settings  # noqa: E402
from digest.site.fragments import other_stories  # noqa: E402
from digest.site.related import compute_links  # noqa: E402
from digest.site.stories import Assignment, assign_stories  # noqa: E402
from digest.site.story_evidence import language_of  # noqa: E402
from digest.site.story_pages import StoryView  # noqa: E402
from digest.store.frontmatter import split as split_front_matter  # noqa: E402
from digest.store.posts import load_posts  # noqa: E402

EVAL_SET = ROOT / "tests" / "data" / "stories_eval"
HELD_OUT = ROOT / "tests" / "data" / "related_eval"


def load_labelled(folder: Path):
    """The posts as the site reads them, and each post's true story (its own path if none)."""
    posts, problems = load_posts(folder.parent, folder.name, ZoneInfo("UTC"))
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    truth = {}
    for post in posts:
        front, _ = split_front_matter((folder.parent / post.src).read_text(encoding="utf-8"))
        truth[post.src] = yaml.safe_load(front).get("eval_story") or post.src
    return posts, truth


def b_cubed(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    clusters, classes = defaultdict(set), defaultdict(set)
    for src in truth:
        clusters[predicted[src]].add(src)
        classes[truth[src]].add(src)
    precision = recall = 0.0
    for src in truth:
        mine, true = clusters[predicted[src]], classes[truth[src]]
        right = len(mine & true)
        precision += right / len(mine)
        recall += right / len(true)
    precision, recall = precision / len(truth), recall / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


def night_by_night(posts):
    """Each day's posts placed into the assignment kept from the days before."""
    days = sorted({post.date.date() for post in posts})
    previous, moved, older = Assignment(), 0, 0
    stories = None
    for day in days:
        tonight = [post for post in posts if post.date.date() <= day]
        stories = assign_stories(tonight, previous)
        moved += stories.moved
        older += sum(1 for post in tonight if post.id in previous.story_of)
        previous = stories.assignment
    return stories, moved, older


def errors(predicted: dict[str, str], truth: dict[str, str]) -> list[str]:
    """Each true story split over several computed ones, and each computed one that mixes."""
    lines = []
    classes, clusters = defaultdict(list), defaultdict(list)
    for src in sorted(truth):
        classes[truth[src]].append(src)
        clusters[predicted[src]].append(src)
    for story, members in sorted(classes.items()):
        parts = Counter(predicted[src] for src in members)
        if len(parts) > 1:
            split = "; ".join(f"{', '.join(Path(s).stem for s in members if predicted[s] == part)}"
                              for part, _ in parts.most_common())
            lines.append(f"  split   {Path(story).stem}: {split}")
    for slug, members in sorted(clusters.items()):
        true = Counter(truth[src] for src in members)
        if len(true) > 1:
            mix = "; ".join(f"{Path(story).stem}: {', '.join(Path(s).stem for s in members if truth[s] == story)}"
                            for story, _ in true.most_common())
            lines.append(f"  mixed   {slug}: {mix}")
    return lines


def cross_language(posts, predicted, truth) -> tuple[int, int, int]:
    """Pairs of posts in different languages: (in one true story, of them found, found wrongly)."""
    language = {post.src: language_of(post) for post in posts}
    srcs = sorted(truth)
    true_pairs = found = wrong = 0
    for i, a in enumerate(srcs):
        for b in srcs[i + 1:]:
            if language[a] == language[b]:
                continue
            same_true, same_found = truth[a] == truth[b], predicted[a] == predicted[b]
            true_pairs += same_true
            found += same_true and same_found
            wrong += same_found and not same_true
    return true_pairs, found, wrong


def page_links(posts, stories, truth, k: int, min_similarity: float) -> tuple[int, int, int, int]:
    """What an article page shows, as digest pages builds it: "More on this story" (the other
    reports of its computed story), then See also and Follow-up coverage cut to other stories
    (digest/site/fragments.py). (right, shown) for the first, then for the other two, where
    right means the same true story."""
    links = compute_links(posts, k, min_similarity)
    view = StoryView.of(stories, posts, "en")
    more_right = more = other_right = other = 0
    for post in posts:
        for member in view.members(view.key(post)):
            if member.src != post.src:
                more += 1
                more_right += truth[member.src] == truth[post.src]
        related, later = other_stories(view, post, list(links.see_also.get(post.src, ())),
                                       list(links.follow_ups.get(post.src, ())))
        for src in related + later:
            other += 1
            other_right += truth[src] == truth[post.src]
    return more_right, more, other_right, other


def report(name: str, posts, truth, quiet: bool) -> None:
    stories = assign_stories(posts)
    nightly, moved, older = night_by_night(posts)
    sizes = Counter(len(set(s for s in truth if truth[s] == story)) for story in set(truth.values()))
    print(f"{name}: {len(posts)} articles, {len(set(truth.values()))} true stories "
          f"({sum(n for size, n in sizes.items() if size >= 2)} of 2+ articles), "
          f"{len({post.source for post in posts})} sources, "
          f"{len({language_of(post) for post in posts})} languages")
    print("run\tB3 precision\tB3 recall\tB3 F1\tstories")
    for label, result in (("at once", stories), ("nightly", nightly)):
        precision, recall, f1 = b_cubed(result.story_of, truth)
        print(f"{label}\t{precision:.3f}\t{recall:.3f}\t{f1:.3f}\t{len(result.stories)}")
    print(f"nightly: posts of earlier nights moved to another story: {moved} of {older} "
          f"({moved / older if older else 0:.2%})")
    true_pairs, found, wrong = cross_language(posts, stories.story_of, truth)
    print(f"cross-language pairs: {found} of {true_pairs} found, {wrong} wrong")
    settings = load_settings(ROOT / "mkdocs.yml")
    more_right, more, other_right, other = page_links(posts, stories, truth, settings.see_also,
                                                      settings.min_similarity)
    print(f'article pages: "More on this story" links {more_right} of {more} to the same story '
          f"(precision {more_right / more if more else 1:.3f}); See also and Follow-up links "
          f"{other} to other computed stories, {other_right} of them in fact the same story; "
          f"all links together: precision {(more_right + other_right) / max(more + other, 1):.3f}")
    if not quiet:
        for line in errors(stories.story_of, truth) or ["  no errors"]:
            print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="figures only, no errors")
    args = parser.parse_args(argv)
    for name, folder in (("stories_eval", EVAL_SET), ("related_eval (held out)", HELD_OUT)):
        report(name, *load_labelled(folder), args.quiet)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
