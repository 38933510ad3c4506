"""posts: reading posts back, and telling digest's own unchanged file from an editor's edit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from digest.store.posts import content_hash, load_posts, parse_post

UTC = ZoneInfo("UTC")
WRITTEN = ("---\ntitle: Ferry timetable\ndate: '2025-11-20T07:30:00+00:00'\nid: harbour-1\n"
           "feed: https://harbour.example/feed.xml\n")


def generated(body: str = "\nThe ferry leaves earlier.\n") -> str:
    """A post as digest writes it: the hash of the rest as the last front matter line."""
    return f"{WRITTEN}digest_hash: {content_hash(WRITTEN + '---' + chr(10) + body)}\n---\n{body}"


def parse(text: str):
    return parse_post(text, "posts/a.md", "docs/posts/a.md", UTC)


def test_an_untouched_generated_post_is_not_edited():
    post, problems = parse(generated())

    assert problems == []
    assert post.generated and post.feed == "https://harbour.example/feed.xml"
    assert post.digest_hash.startswith("sha256:") and len(post.digest_hash) == 23
    assert not post.edited


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("leaves earlier", "leaves much earlier"),
    lambda text: text.replace("title: Ferry timetable", "title: Ferry times"),
    lambda text: text.replace("id: harbour-1\n", "id: harbour-1\nsupport: false\n"),
    lambda text: text + "\nAn editor's note.\n",
], ids=["body", "title", "new key", "appended"])
def test_any_change_by_an_editor_is_an_edit(edit):
    post, _ = parse(edit(generated()))
    assert post.edited


def test_the_hash_line_itself_does_not_count():
    text = generated()
    assert content_hash(text) == content_hash(text.replace("digest_hash: ", "digest_hash:  "))
    assert content_hash(text) == content_hash("".join(
        line for line in text.splitlines(keepends=True) if not line.startswith("digest_hash:")))


def test_a_hash_line_in_the_body_is_text_like_any_other():
    text = generated("\ndigest_hash: in the body\n")
    post, _ = parse(text)
    assert not post.edited
    post, _ = parse(text.replace("digest_hash: in the body", "digest_hash: changed"))
    assert post.edited


def test_a_hand_written_post_is_not_generated():
    post, problems = parse("---\ntitle: A letter\ndate: 2025-11-20\n---\n\nHello.\n")
    assert problems == [] and not post.generated and post.id == "posts/a.md"


@pytest.mark.parametrize("front, message", [
    ("title: A\ndate: yesterday\n", 'docs/posts/a.md:3: date: not a date: "yesterday"'),
    ("title: A\ndate: 2025\n", "docs/posts/a.md:3: date: not a date: 2025"),
    ("title: A\n", "docs/posts/a.md:1: date: missing"),
    ("date: 2025-11-20\ntitle: ''\n", "docs/posts/a.md:3: title: missing or empty"),
    ("title: A\ndate: 2025-11-20\nsupport: perhaps\n",
     "docs/posts/a.md:4: support: expected true or false, got 'perhaps'"),
    ("title: A: B\n  date: 2025-11-20\n",
     "docs/posts/a.md:2: front matter is not valid YAML: mapping values are not allowed here"),
])
def test_front_matter_problems_name_the_line(front, message):
    post, problems = parse(f"---\n{front}---\n\nText.\n")
    assert post is None
    assert [str(problem) for problem in problems] == [message]


def test_load_posts_reads_every_post_newest_first(tmp_path):
    docs = tmp_path / "docs"
    (docs / "posts" / "x").mkdir(parents=True)
    (docs / "posts" / "x" / "old.md").write_text("---\ntitle: Old\ndate: 2025-01-01\n---\n", encoding="utf-8")
    (docs / "posts" / "new.md").write_text(generated(), encoding="utf-8")
    (docs / "posts" / "bad.md").write_bytes(b"---\ntitle: \xff\n---\n")

    posts, problems = load_posts(docs, "posts", UTC)

    assert [post.src for post in posts] == ["posts/new.md", "posts/x/old.md"]
    assert [problem.where for problem in problems] == ["docs/posts/bad.md:1"]


@pytest.mark.parametrize("value, story", [("dock-strike", "dock-strike"), ("false", False),
                                          ("Dock Strike", None), ("true", None), ("", None)])
def test_an_editors_story_is_a_slug_or_false_and_anything_else_is_left_to_the_site(value, story):
    post, problems = parse(f"---\ntitle: Tides\ndate: 2025-11-20\nstory: {value}\n---\n\nText.\n")

    assert problems == []               # digest check reports a bad one; the post still shows
    assert post.story == story
