"""Golden files: the Markdown posts our test feeds become, compared byte for byte.

The feeds in tests/data/feeds/ are written in the image of real ones (encodings, languages,
publisher boilerplate, hostile text; each file opens with a comment saying what it tests).
All of them go through parse -> normalise -> clean -> dedupe together, as one night's run
would, and each feed's posts are compared with tests/golden/<feed>.md: the file name each
post would get, its front matter and its body.

After a deliberate change to the output, regenerate the golden files and review the diff:

    .venv/bin/python -m tests.test_golden --regenerate
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from digest.ingest.dedupe import dedupe
from digest.ingest.feedlist import FeedSource
from digest.ingest.normalise import FeedOptions, normalise_entry
from digest.ingest.parse import parse_feed
from digest.store.write import front_matter, new_post_path

HERE = Path(__file__).resolve().parent
FEEDS = HERE / "data" / "feeds"
GOLDEN = HERE / "golden"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
# Full text for one feed, the default (summary plus link) for the others.
FULL_TEXT = {"en-wordpress.xml", "de-atom.xml"}


def feed_files() -> list[Path]:
    return sorted(FEEDS.glob("*.xml"))


def render(article, path: str) -> str:
    meta = yaml.safe_dump(front_matter(article), sort_keys=False, allow_unicode=True,
                          width=10_000, default_flow_style=False)
    return f"<!-- {path} -->\n---\n{meta}---\n\n{article.body}"


def golden_outputs() -> dict[str, str]:
    articles = []
    for file in feed_files():
        feed = parse_feed(file.read_bytes(), {}, str(file))
        source = FeedSource(f"https://feeds.example/{file.name}", None, file.name)
        options = FeedOptions(full_text=file.name in FULL_TEXT)
        articles += [normalise_entry(entry, feed, source, NOW, options) for entry in feed.entries]
    taken: set[str] = set()
    outputs = {file.name: [] for file in feed_files()}
    for article in dedupe(articles):
        path = new_post_path(article, Path("/nonexistent"), "posts", ZoneInfo("Europe/London"), taken)
        outputs[article.feed_url.rsplit("/", 1)[1]].append(render(article, path))
    return {name: "\n\n".join(posts) for name, posts in outputs.items()}


@pytest.mark.parametrize("name", [file.name for file in feed_files()])
def test_feed_matches_its_golden_markdown(name):
    expected = (GOLDEN / f"{Path(name).stem}.md").read_text(encoding="utf-8")
    assert golden_outputs()[name] == expected


def regenerate() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, text in golden_outputs().items():
        (GOLDEN / f"{Path(name).stem}.md").write_text(text, encoding="utf-8")
        print(f"wrote tests/golden/{Path(name).stem}.md")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python -m tests.test_golden --regenerate")
    regenerate()


@pytest.mark.slow
def test_a_second_night_with_the_same_feeds_changes_no_post(site):
    """Guessed and clamped dates, merged stories, hash ids: nothing moves from night to night."""
    from datetime import timedelta

    from digest.config import load_settings
    from digest.pipeline import run

    (site / "feeds.txt").write_text("".join(f"{file}\n" for file in feed_files()), encoding="utf-8")
    settings = load_settings(site / "mkdocs.yml")
    first = run(settings, now=NOW)
    posts = {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")}
    second = run(settings, now=NOW + timedelta(days=1))
    assert len(first.new_posts) == 11 and first.duplicates == 2
    assert (second.new_posts, second.updated_posts) == ([], [])
    assert {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")} == posts
