"""state: one entry per line, loaded back exactly, salvaged after a merge conflict, and
reconciled with the posts on disk (moves, adoption, rebuild)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from digest.article import Article
from digest.store.posts import content_hash, parse_post
from digest.store.state import (FeedState, PostRecord, State, load_state, reconcile, save_state,
                          state_to_text)
from digest.store.write import render_post

FEED = "https://harbour.example/feed.xml"


def sample() -> State:
    return State(
        feeds={FEED: FeedState(etag='"v1"', last_success="2025-11-20T01:00:00+00:00"),
               "https://b.example/rss": FeedState(failures=2, last_error="HTTP 503")},
        posts={"harbour-2": PostRecord("posts/2025/11/21/b.md", "sha256:00000000000000bb"),
               "harbour-1": PostRecord("posts/2025/11/20/a.md", "sha256:00000000000000aa")},
        seen={"harbour-1", "harbour-2", "harbour-0"},
    )


def test_one_entry_per_line_in_a_stable_order():
    text = state_to_text(sample())

    assert text == (
        '{\n'
        ' "feeds": {\n'
        '  "https://b.example/rss": {"failures": 2, "last_error": "HTTP 503"},\n'
        '  "https://harbour.example/feed.xml": {"etag": "\\"v1\\"", "last_success": "2025-11-20T01:00:00+00:00"}\n'
        ' },\n'
        ' "posts": {\n'
        '  "harbour-1": {"hash": "sha256:00000000000000aa", "path": "posts/2025/11/20/a.md"},\n'
        '  "harbour-2": {"hash": "sha256:00000000000000bb", "path": "posts/2025/11/21/b.md"}\n'
        ' },\n'
        ' "seen": [\n'
        '  "harbour-0"\n'
        ' ],\n'
        ' "version": 3\n'
        '}\n')
    assert json.loads(text)["version"] == 3


def test_what_is_saved_loads_back_the_same(tmp_path):
    path = tmp_path / "digest-state.json"
    assert save_state(sample(), path) is True
    assert save_state(load_state(path), path) is False, "nothing changed: the file is not written"

    loaded = load_state(path)
    assert loaded.posts == sample().posts and loaded.seen == sample().seen
    assert loaded.feeds == sample().feeds and loaded.problem is None and not loaded.missing


def test_an_empty_state_is_small(tmp_path):
    assert state_to_text(State()) == '{\n "feeds": {},\n "posts": {},\n "seen": [],\n "version": 3\n}\n'


def test_the_foundations_format_still_loads(tmp_path):
    path = tmp_path / "digest-state.json"
    path.write_text(json.dumps({"version": 1, "feeds": {}, "seen": ["a", "b"], "posts": {
        "a": {"path": "posts/a.md", "hash": "sha256:" + "0" * 64}}}, indent=1), encoding="utf-8")

    state = load_state(path)

    assert state.seen == {"a", "b"} and state.posts["a"].path == "posts/a.md"


def test_a_missing_file_is_said_so(tmp_path):
    state = load_state(tmp_path / "digest-state.json")
    assert state.missing and state.problem is None and state.posts == {}


def test_a_merge_conflict_keeps_both_sides(tmp_path):
    ours, theirs = sample(), sample()
    ours.posts["harbour-3"] = PostRecord("posts/c.md", "sha256:00000000000000cc")
    ours.seen.add("harbour-3")
    theirs.seen.add("harbour-9")
    conflicted = []
    for mine, other in zip(state_to_text(ours).splitlines(), state_to_text(theirs).splitlines()):
        conflicted += [mine] if mine == other else ["<<<<<<< HEAD", mine, "=======", other, ">>>>>>> nightly"]
    path = tmp_path / "digest-state.json"
    path.write_text("\n".join(conflicted) + "\n", encoding="utf-8")

    state = load_state(path)

    assert state.problem.file == "digest-state.json"
    assert state.problem.reason.startswith("Expecting property name enclosed in double quotes: line ")
    assert str(state.problem).startswith("digest-state.json: unreadable (Expecting property name")
    assert set(state.posts) == {"harbour-1", "harbour-2", "harbour-3"}
    assert {"harbour-0", "harbour-9"} <= state.seen
    assert state.feeds[FEED].etag == '"v1"'


def test_a_truncated_file_keeps_what_came_before_the_cut(tmp_path):
    text = state_to_text(sample())
    path = tmp_path / "digest-state.json"
    path.write_text(text[:text.index("harbour-2")], encoding="utf-8")

    state = load_state(path)

    assert state.problem and set(state.posts) == {"harbour-1"}


# --- reconcile ---------------------------------------------------------------------------

def article(number: int, day: int) -> Article:
    return Article(id=f"harbour-{number}", title=f"Story {number}", link=f"https://h.example/{number}",
                   date=datetime(2025, 11, day, 8, 0, tzinfo=timezone.utc), source="Harbour",
                   feed_url=FEED, body=f"Story {number}.\n")


def on_disk(item: Article, src: str, text: str | None = None):
    post, problems = parse_post(text or render_post(item), src, f"docs/{src}", ZoneInfo("UTC"))
    assert not problems
    return post


def test_a_moved_post_is_followed():
    moved = on_disk(article(1, 20), "posts/editors/renamed.md")
    state = State(posts={"harbour-1": PostRecord("posts/2025/11/20/story-1.md", moved.hash)},
                  seen={"harbour-1"})

    notes = reconcile(state, [moved])

    assert state.posts["harbour-1"].path == "posts/editors/renamed.md"
    assert notes == []


def test_an_editors_deletion_alone_changes_nothing_in_the_state():
    """The nightly job commits only when something is new: a deletion is the editor's commit."""
    kept = on_disk(article(2, 21), "posts/2025/11/21/story-2.md")
    state = State(posts={"harbour-1": PostRecord("posts/2025/11/20/story-1.md", "sha256:x"),
                         "harbour-2": PostRecord("posts/2025/11/21/story-2.md", kept.hash)},
                  seen={"harbour-1", "harbour-2"})
    before = state_to_text(state)

    reconcile(state, [kept])

    assert state_to_text(state) == before


def test_a_post_a_killed_run_updated_is_not_taken_for_an_edit():
    old, new = article(1, 20), dataclasses.replace(article(1, 20), body="Updated.\n")
    state = State(posts={"harbour-1": PostRecord("posts/a.md", on_disk(old, "posts/a.md").hash)},
                  seen={"harbour-1"})
    updated = on_disk(new, "posts/a.md")

    notes = reconcile(state, [updated])

    assert state.posts["harbour-1"].hash == updated.hash
    assert notes == ["1 posts had been updated after the state file was saved (a run was "
                     "interrupted?): their state records now match them"]


def test_an_edited_post_keeps_its_recorded_hash():
    written = article(1, 20)
    recorded = on_disk(written, "posts/a.md").hash
    state = State(posts={"harbour-1": PostRecord("posts/a.md", recorded)}, seen={"harbour-1"})

    reconcile(state, [on_disk(written, "posts/a.md", render_post(written) + "Edited.\n")])

    assert state.posts["harbour-1"].hash == recorded


def test_posts_a_killed_run_wrote_are_adopted_with_their_own_hash():
    written = on_disk(article(2, 21), "posts/2025/11/21/story-2.md")
    edited_text = render_post(article(3, 22)) + "\nEdited.\n"
    edited = on_disk(article(3, 22), "posts/2025/11/22/story-3.md", edited_text)
    state = State(posts={}, seen=set())

    notes = reconcile(state, [written, edited])

    assert state.posts["harbour-2"] == PostRecord("posts/2025/11/21/story-2.md", written.hash)
    # The edited one is adopted with the hash digest wrote, so it still counts as edited.
    assert state.posts["harbour-3"].hash == edited.digest_hash != edited.hash
    assert state.seen == {"harbour-2", "harbour-3"}
    assert notes == ["2 generated posts were not in the state file (a run was interrupted?): "
                     "adopted from their front matter"]


def test_after_losing_the_state_entries_up_to_the_newest_post_count_as_seen():
    state = State(missing=True)
    posts = [on_disk(article(1, 20), "posts/a.md"), on_disk(article(3, 22), "posts/c.md")]
    feed = [article(1, 20), article(2, 21), article(3, 22), article(4, 23)]

    notes = reconcile(state, posts, feed)

    # 2 is older than the newest post on disk: an earlier run wrote it, an editor deleted it.
    assert state.seen == {"harbour-1", "harbour-2", "harbour-3"}
    assert "harbour-4" not in state.seen
    assert notes[0].startswith("the state file was missing: rebuilt from 2 generated posts' front matter")


def test_a_first_run_is_not_a_rebuild():
    state = State(missing=True)
    assert reconcile(state, [], [article(1, 20)]) == []
    assert state.seen == set()


# --- version 2 -> 3: posts written before ids were scoped by feed keep their ids ------------

def test_a_version_2_site_keeps_its_ids_and_writes_nothing_twice(site, feed_server):
    from tests.helpers import fetch_site, small_cms

    valley = feed_server.add("/valley.xml", small_cms("valley", [("1", "Valley school reopens")]))
    coast = feed_server.add("/coast.xml", small_cms("coast", [("1", "Coast ferry timetable changes")]))
    (site / "feeds.txt").write_text(f"{valley}\n{coast}\n", encoding="utf-8")
    # What version 2 wrote for the valley's story: its bare GUID as the id (and the coast's
    # story 1 was dropped as its "duplicate" that night).
    old = Article(id="1", title="Valley school reopens", link="https://valley.example/?p=1",
                  date=datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc), source="valley",
                  feed_url=valley, summary="Valley school reopens, as the valley desk tells it.",
                  body="Valley school reopens, as the valley desk tells it in its own words.\n")
    text = render_post(old)
    path = site / "docs" / "posts" / "2026" / "11" / "23" / "valley-school-reopens.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    (site / "digest-state.json").write_text(
        '{\n "feeds": {},\n "posts": {\n  "1": {"hash": "%s", "path": "posts/2026/11/23/valley-school-reopens.md"}\n'
        ' },\n "seen": [],\n "version": 2\n}\n' % content_hash(text), encoding="utf-8")

    posts = fetch_site(site)

    assert posts == {"1": ("Valley school reopens", valley),
                     "coast.example#1": ("Coast ferry timetable changes", coast)}
    assert path.exists(), "the old post was updated where it is"
    state = json.loads((site / "digest-state.json").read_text(encoding="utf-8"))
    assert state["version"] == 3 and set(state["posts"]) == {"1", "coast.example#1"}
    # And the next night changes nothing.
    before = {p: p.read_bytes() for p in (site / "docs" / "posts").rglob("*.md")}
    assert fetch_site(site) == posts
    assert {p: p.read_bytes() for p in (site / "docs" / "posts").rglob("*.md")} == before


def test_a_state_file_that_cannot_be_read_is_one_error_line(site, capsys):
    from digest.cli import main

    (site / "digest-state.json").mkdir()
    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and "digest-state.json: cannot be read" in err
    assert "Traceback" not in err


def test_a_state_file_from_a_newer_digest_is_refused(site, capsys):
    from digest.cli import main

    (site / "digest-state.json").write_text('{"posts": {}, "seen": [], "version": 99}\n', encoding="utf-8")
    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 1
    assert "state version 99 is newer than this digest's (3)" in capsys.readouterr().err


def test_digest_check_names_a_state_file_it_cannot_open(site, capsys):
    from digest.cli import main

    (site / "digest-state.json").mkdir()
    assert main(["--config", str(site / "mkdocs.yml"), "check"]) == 1
    err = capsys.readouterr().err
    assert "digest-state.json: " in err and "cannot be read" in err and "Traceback" not in err
