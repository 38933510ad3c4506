"""write: what a post looks like, where it goes, and when an existing one is rewritten."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import yaml

from digest.article import Article
from digest.store.frontmatter import split as split_front_matter
from digest.store.posts import content_hash
from digest.store.state import PostRecord, State
from digest.store.write import render_post, write_articles

UTC = ZoneInfo("UTC")


def article(number: int = 1, **changes) -> Article:
    base = Article(id=f"harbour-{number}", title="Ferry timetable changes", link="https://h.example/1",
                   date=datetime(2025, 11, 20, 7, 30, tzinfo=timezone.utc), source="Harbour Wire",
                   feed_url="https://h.example/feed.xml", body="The ferry leaves earlier.\n")
    return dataclasses.replace(base, **changes)


def write(articles, state, docs, **kwargs):
    return write_articles(articles, state, docs, "posts", UTC, {}, **kwargs)


def test_a_post_carries_the_hash_of_what_was_written_last_in_its_front_matter():
    text = render_post(article())
    front, body = split_front_matter(text)
    meta = yaml.safe_load(front)

    assert front.splitlines()[-1] == f"digest_hash: {content_hash(text)}"
    assert meta["digest_hash"] == content_hash(text)
    assert meta["feed"] == "https://h.example/feed.xml" and meta["id"] == "harbour-1"
    assert body == "\nThe ferry leaves earlier.\n"


def test_new_posts_go_under_their_day_with_a_slug_and_never_overwrite(tmp_path):
    docs = tmp_path / "docs"
    taken = docs / "posts" / "2025" / "11" / "20" / "ferry-timetable-changes.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("an editor's file\n", encoding="utf-8")
    state = State()

    report = write([article(1), article(2)], state, docs)

    assert report.new == ["posts/2025/11/20/ferry-timetable-changes-2.md",
                          "posts/2025/11/20/ferry-timetable-changes-3.md"]
    assert taken.read_text(encoding="utf-8") == "an editor's file\n"
    assert state.posts["harbour-1"].hash == content_hash(render_post(article(1)))
    assert state.seen == {"harbour-1", "harbour-2"}


def test_the_path_of_a_deleted_post_is_not_given_to_a_new_one(tmp_path):
    state = State(posts={"harbour-1": PostRecord("posts/2025/11/20/ferry-timetable-changes.md", "x")},
                  seen={"harbour-1"})

    report = write([article(1), article(2)], state, tmp_path)

    assert report.new == ["posts/2025/11/20/ferry-timetable-changes-2.md"]
    assert report.skipped_deleted == 1


def test_an_unedited_post_is_updated_an_edited_one_is_kept_and_reported(tmp_path):
    state = State()
    write([article(1), article(2, title="Sea wall")], state, tmp_path)
    ferry = tmp_path / state.posts["harbour-1"].path
    wall = tmp_path / state.posts["harbour-2"].path
    wall.write_text(wall.read_text(encoding="utf-8") + "\nEditor's note.\n", encoding="utf-8")
    edited = wall.read_text(encoding="utf-8")

    report = write([article(1, body="UPDATED.\n"), article(2, title="Sea wall", body="UPDATED.\n")],
                   state, tmp_path)

    assert report.updated == [state.posts["harbour-1"].path]
    assert ferry.read_text(encoding="utf-8").endswith("\nUPDATED.\n")
    assert report.skipped_edited == [state.posts["harbour-2"].path]
    assert wall.read_text(encoding="utf-8") == edited


def test_an_edited_post_the_publisher_did_not_change_is_kept_quietly(tmp_path):
    state = State()
    write([article(1)], state, tmp_path)
    post = tmp_path / state.posts["harbour-1"].path
    post.write_text(post.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")

    report = write([article(1)], state, tmp_path)

    assert report.skipped_edited == [] and report.updated == []
    assert post.read_text(encoding="utf-8").endswith("\nEdited.\n")


def test_an_entry_without_a_date_keeps_the_date_it_was_first_written_with(tmp_path):
    state = State()
    first = article(1, date=datetime(2025, 11, 20, 8, 0, tzinfo=timezone.utc),
                    date_guessed=True)
    write([first], state, tmp_path)
    text = (tmp_path / state.posts["harbour-1"].path).read_text(encoding="utf-8")

    report = write([dataclasses.replace(first, date=first.date + timedelta(days=1))], state, tmp_path)

    assert report.updated == [] and report.unchanged == 1
    assert (tmp_path / state.posts["harbour-1"].path).read_text(encoding="utf-8") == text


def test_a_future_date_clamped_to_the_fetch_time_does_not_move_the_post_either(tmp_path):
    state = State()
    clamped = article(1, date=datetime(2025, 11, 20, 8, 0, tzinfo=timezone.utc),
                      date_guessed=True,
                      warnings=("date 2030-01-01T00:00:00+00:00 is in the future: clamped to the "
                                "fetch time",))
    write([clamped], state, tmp_path)

    report = write([dataclasses.replace(clamped, date=clamped.date + timedelta(days=1))], state,
                   tmp_path)

    assert report.updated == [] and report.unchanged == 1


def test_entries_older_than_keep_days_are_not_written(tmp_path):
    state = State()
    since = datetime(2025, 11, 21, tzinfo=timezone.utc)

    report = write([article(1), article(2, date=since + timedelta(hours=1))], state, tmp_path,
                   keep_since=since)

    assert report.too_old == 1 and list(state.posts) == ["harbour-2"]
    assert "harbour-1" not in state.seen, "a longer keep_days later may still bring it"


def test_an_id_a_hand_written_post_already_has_is_not_written(tmp_path):
    state = State()
    report = write_articles([article(1)], state, tmp_path, "posts", UTC,
                            {"harbour-1": "posts/editors/ferry.md"})
    assert report.new == [] and state.posts == {}
