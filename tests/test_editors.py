"""Editors and the nightly run never fight: each guarantee of issue 6, through `digest fetch`.

The Harbour Wire feed (tests/data/editors/) is served from a real local HTTP server; v1 is
the first night, v2 the next (two stories updated by the publisher, one unchanged, one new).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from digest.cli import main
from digest.config import load_settings
from digest.store.lock import site_lock
from digest.pipeline import run
from digest.store.frontmatter import split as split_front_matter

from .conftest import DATA
from .helpers import pagefind_records

EDITORS = DATA / "editors"
HARBOUR = frozenset(f"harbour-wire.example#harbour-wire-100{n}" for n in (1, 2, 3, 4))
FERRY, SEA_WALL, LIGHTHOUSE, STORM = sorted(HARBOUR)


class Site:
    def __init__(self, root: Path, server, capsys):
        self.root, self.docs, self.server, self.capsys = root, root / "docs", server, capsys
        self.state = root / "digest-state.json"

    def serve(self, name: str) -> None:
        self.server.add_file("/harbour.xml", EDITORS / name)

    def fetch(self) -> str:
        code = main(["--config", str(self.root / "mkdocs.yml"), "fetch"])
        out = self.capsys.readouterr()
        assert code == 0, out.out + out.err
        return out.out + out.err

    def posts(self) -> dict[str, str]:
        """Every post's id -> its path under docs/ (several paths: a duplicate)."""
        found = {}
        for path in sorted((self.docs / "posts").rglob("*.md")):
            meta = yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0]) or {}
            post_id = str(meta.get("id") or path)
            assert post_id not in found, f"{post_id} written twice: {found[post_id]} and {path}"
            found[post_id] = path.relative_to(self.docs).as_posix()
        return found

    def text(self, post_id: str) -> str:
        return (self.docs / self.posts()[post_id]).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, tuple[bytes, int]]:
        """Every file in the site with its bytes and modification time."""
        return {path.relative_to(self.root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
                for path in sorted(self.root.rglob("*")) if path.is_file()}


def seen_ids(site: Site) -> set[str]:
    """The ids the state file says were seen: those with a post record and the rest."""
    state = json.loads(site.state.read_text(encoding="utf-8"))
    return set(state["posts"]) | set(state["seen"])


@pytest.fixture
def harbour(site, feed_server, capsys) -> Site:
    harbour = Site(site, feed_server, capsys)
    harbour.serve("harbour-v1.xml")
    (site / "feeds.txt").write_text(f"{feed_server.url('/harbour.xml')} Harbour Wire\n",
                                    encoding="utf-8")
    harbour.fetch()
    assert set(harbour.posts()) >= {FERRY, SEA_WALL, LIGHTHOUSE}
    return harbour


# --- 1. an edited post is never rewritten, and the report says so ------------------------

@pytest.mark.parametrize("edit", [
    lambda text: text.replace("twenty minutes earlier", "twenty minutes earlier (confirmed)"),
    lambda text: text.replace("title: Ferry timetable changes from Monday",
                              "title: Ferry leaves earlier from Monday"),
    lambda text: text.replace("- Transport", "- Local"),
], ids=["body", "title", "categories"])
def test_an_edited_post_is_kept_when_the_publisher_updates_the_story(harbour, edit):
    path = harbour.docs / harbour.posts()[FERRY]
    edited = edit(path.read_text(encoding="utf-8"))
    assert edited != path.read_text(encoding="utf-8")
    path.write_text(edited, encoding="utf-8")
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    assert path.read_text(encoding="utf-8") == edited
    assert "UPDATED: the morning ferry" not in path.read_text(encoding="utf-8")
    shown = path.relative_to(harbour.docs).as_posix()
    assert (f"kept: {shown}: the publisher updated the story, but an editor changed this post, "
            "so the update was skipped") in output
    assert "1 edited posts kept" in output
    # ... and the next night too.
    assert harbour.fetch() and path.read_text(encoding="utf-8") == edited


def test_an_edit_is_recognised_even_when_the_state_file_is_lost(harbour):
    path = harbour.docs / harbour.posts()[FERRY]
    edited = path.read_text(encoding="utf-8").replace("the operator said", "the operator said.")
    path.write_text(edited, encoding="utf-8")
    harbour.state.unlink()
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    assert path.read_text(encoding="utf-8") == edited
    assert "warning: the state file was missing: rebuilt from 3 generated posts' front matter" in output
    assert "UPDATED: councillors" in harbour.text(SEA_WALL), "an unedited post is still updated"


# --- 2. a deleted post never comes back ---------------------------------------------------

def test_a_deleted_post_stays_deleted_while_the_feed_carries_it(harbour):
    (harbour.docs / harbour.posts()[SEA_WALL]).unlink()
    harbour.serve("harbour-v2.xml")

    harbour.fetch()
    harbour.fetch()

    assert SEA_WALL not in harbour.posts()
    assert STORM in harbour.posts(), "the new story still arrives"


@pytest.mark.parametrize("damage", ["missing", "corrupt", "conflict"])
def test_a_deleted_post_stays_deleted_when_the_state_file_is_lost(harbour, damage):
    (harbour.docs / harbour.posts()[SEA_WALL]).unlink()
    state = harbour.state.read_text(encoding="utf-8")
    if damage == "missing":
        harbour.state.unlink()
    elif damage == "corrupt":
        harbour.state.write_text(state[: len(state) // 3], encoding="utf-8")
    else:   # a merge conflict: both sides' lines are salvaged
        lines = state.splitlines()
        posts_at = lines.index(' "posts": {')
        lines[posts_at + 1:posts_at + 1] = ["<<<<<<< HEAD", "=======", ">>>>>>> nightly"]
        harbour.state.write_text("\n".join(lines) + "\n", encoding="utf-8")
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    assert SEA_WALL not in harbour.posts()
    assert {FERRY, LIGHTHOUSE, STORM} <= set(harbour.posts())
    assert "warning: " in output and ("state file was missing" in output or "unreadable" in output)
    assert SEA_WALL in seen_ids(harbour)
    harbour.fetch()
    assert SEA_WALL not in harbour.posts(), "and not on the night after either"


# --- 3. hand-written posts are never touched --------------------------------------------

HAND_WRITTEN = {
    # The path the ferry story would take if it were new, and the ferry story's own id.
    "posts/2025/11/24/storm-warning-for-the-weekend.md":
        "---\ntitle: Storm warning for the weekend\ndate: 2025-11-24\n---\n\nOur own piece.\n",
    "posts/editors/ferry.md":
        "---\ntitle: The ferry, in our words\ndate: 2020-01-01\nid: harbour-wire-1001\n---\n\nMine.\n",
    "posts/editors/old-letter.md":
        "---\ntitle: A letter from 2019\ndate: 2019-05-01\n---\n\nStill here.\n",
}


def test_hand_written_posts_are_never_modified_moved_or_deleted(site, feed_server, capsys):
    harbour = Site(site, feed_server, capsys)
    for path, text in HAND_WRITTEN.items():
        (site / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (site / "docs" / path).write_text(text, encoding="utf-8")
    before = {path: (site / "docs" / path).stat().st_mtime_ns for path in HAND_WRITTEN}
    (site / "feeds.txt").write_text(f"{feed_server.url('/harbour.xml')}\n", encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    posts_dir: posts\n", "    posts_dir: posts\n    keep_days: 30\n"), encoding="utf-8")

    for version in ("harbour-v1.xml", "harbour-v2.xml", "harbour-v2.xml"):
        harbour.serve(version)
        run(load_settings(config), now=datetime(2025, 11, 25, tzinfo=timezone.utc))
    run(load_settings(config), now=datetime(2026, 6, 1, tzinfo=timezone.utc))   # retention

    for path, text in HAND_WRITTEN.items():
        assert (site / "docs" / path).read_text(encoding="utf-8") == text
        assert (site / "docs" / path).stat().st_mtime_ns == before[path]
    # The editor wrote the feed's bare GUID (as ids were before they were scoped by feed):
    # it still claims the story, and no generated copy of it appears.
    assert harbour.posts()["harbour-wire-1001"] == "posts/editors/ferry.md", "the editor's post has the id"
    assert FERRY not in harbour.posts()
    assert "posts/editors/old-letter.md" in harbour.posts().values()


# --- 4. a moved post is followed, not duplicated -----------------------------------------

def test_a_moved_post_is_updated_where_the_editor_put_it(harbour):
    old = harbour.docs / harbour.posts()[SEA_WALL]
    new = harbour.docs / "posts" / "editors" / "sea-wall-vote.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    old.rename(new)
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    assert harbour.posts()[SEA_WALL] == "posts/editors/sea-wall-vote.md"
    assert not old.exists()
    assert "UPDATED: councillors" in new.read_text(encoding="utf-8"), "unedited: updated in place"
    assert "0 new articles" not in output and "1 updated" not in output
    state = json.loads(harbour.state.read_text(encoding="utf-8"))
    assert state["posts"][SEA_WALL]["path"] == "posts/editors/sea-wall-vote.md"


def test_a_moved_and_edited_post_is_kept(harbour):
    old = harbour.docs / harbour.posts()[SEA_WALL]
    new = harbour.docs / "posts" / "sea-wall.md"
    new.write_text(old.read_text(encoding="utf-8") + "\nEditor's note: see also the minutes.\n",
                   encoding="utf-8")
    old.unlink()
    edited = new.read_text(encoding="utf-8")
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    assert harbour.posts()[SEA_WALL] == "posts/sea-wall.md"
    assert new.read_text(encoding="utf-8") == edited
    assert "kept: posts/sea-wall.md: the publisher updated the story" in output


# --- 5. nothing new: no file changes at all ----------------------------------------------

def test_a_run_with_nothing_new_changes_no_file(harbour):
    harbour.serve("harbour-v2.xml")
    harbour.fetch()
    before = harbour.snapshot()

    output = harbour.fetch()

    assert harbour.snapshot() == before
    assert "0 new articles, 0 updated" in output


def test_after_an_editors_edit_move_and_deletion_a_run_with_nothing_new_changes_nothing(harbour):
    ferry = harbour.docs / harbour.posts()[FERRY]
    ferry.write_text(ferry.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    (harbour.docs / harbour.posts()[SEA_WALL]).unlink()
    moved = harbour.docs / "posts" / "lighthouse.md"
    (harbour.docs / harbour.posts()[LIGHTHOUSE]).rename(moved)
    before = {path: data for path, (data, _) in harbour.snapshot().items()
              if path.startswith("docs/posts/") or path == "digest-state.json"}

    harbour.fetch()

    after = {path: data for path, (data, _) in harbour.snapshot().items()
             if path.startswith("docs/posts/") or path == "digest-state.json"}
    # The state follows the move; nothing else changes, so the nightly job commits only that.
    assert {path for path in after if after[path] != before.get(path)} <= {"digest-state.json"}
    assert set(after) == set(before)
    state = json.loads(harbour.state.read_text(encoding="utf-8"))
    assert state["posts"][LIGHTHOUSE]["path"] == "posts/lighthouse.md"
    harbour.fetch()
    again = {path: data for path, (data, _) in harbour.snapshot().items()
             if path.startswith("docs/posts/") or path == "digest-state.json"}
    assert again == after


def test_a_post_without_a_date_keeps_its_first_date(site, feed_server):
    feed_server.add_file("/parish.xml", EDITORS / "undated.xml")
    (site / "feeds.txt").write_text(f"{feed_server.url('/parish.xml')}\n", encoding="utf-8")
    settings = load_settings(site / "mkdocs.yml")
    run(settings, now=datetime(2025, 11, 20, 8, 0, tzinfo=timezone.utc))
    post = next((site / "docs" / "posts" / "2025").rglob("*.md"))
    first = post.read_bytes()

    report = run(settings, now=datetime(2025, 11, 21, 8, 0, tzinfo=timezone.utc))

    assert post.read_bytes() == first
    assert "date: '2025-11-20T08:00:00+00:00'" in first.decode()
    assert report.updated_posts == [] and report.new_posts == []


# --- 6. one run at a time ----------------------------------------------------------------

def test_a_second_run_is_refused_while_one_is_working(harbour):
    harbour.serve("harbour-v2.xml")
    before = harbour.snapshot()

    with site_lock(harbour.root):
        code = main(["--config", str(harbour.root / "mkdocs.yml"), "fetch"])
    err = harbour.capsys.readouterr().err

    assert code == 1
    assert err == (f"Error: another digest run is already working on the site in {harbour.root}; "
                   "this run stopped without changing anything (try again when that one has "
                   "finished)\n")
    after = harbour.snapshot()
    assert after == before
    assert STORM not in harbour.posts()
    harbour.fetch()      # the lock went with the first run
    assert STORM in harbour.posts()


def test_digest_pages_takes_the_same_lock(harbour):
    with site_lock(harbour.root):
        code = main(["--config", str(harbour.root / "mkdocs.yml"), "pages"])
    err = harbour.capsys.readouterr().err

    assert code == 1
    assert err.startswith("Error: another digest run is already working on the site in ")


def test_leftovers_of_a_killed_run_are_cleared_by_the_next(harbour):
    scratch = harbour.root / ".digest-tmp"
    scratch.mkdir()
    (scratch / ".digest-tmp-abc123").write_text("half a post", encoding="utf-8")
    stray = harbour.docs / "posts" / ".digest-tmp-def456"    # from a run before the scratch folder
    stray.write_text("half a page", encoding="utf-8")
    harbour.serve("harbour-v2.xml")

    harbour.fetch()

    assert not scratch.exists() and not stray.exists()
    assert STORM in harbour.posts()


# --- 7. an unchanged post is updated in place --------------------------------------------

def test_an_unedited_post_is_updated_in_place(harbour):
    before = harbour.posts()
    harbour.serve("harbour-v2.xml")

    output = harbour.fetch()

    after = harbour.posts()
    assert after[FERRY] == before[FERRY] and after[SEA_WALL] == before[SEA_WALL]
    assert "UPDATED: the morning ferry" in harbour.text(FERRY)
    assert "UPDATED: councillors" in harbour.text(SEA_WALL)
    assert "1 new articles, 2 updated, 0 edited posts kept" in output
    assert len(after) == len(before) + 1


# --- retention ------------------------------------------------------------------------------

def test_keep_days_removes_old_unedited_generated_posts_and_they_stay_gone(harbour):
    config = harbour.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    posts_dir: posts\n", "    posts_dir: posts\n    keep_days: 2\n"), encoding="utf-8")
    edited = harbour.docs / harbour.posts()[FERRY]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's addition.\n",
                      encoding="utf-8")
    harbour.serve("harbour-v2.xml")
    settings = load_settings(config)

    report = run(settings, now=datetime(2025, 11, 24, 12, 0, tzinfo=timezone.utc))

    # Cut-off 22 Nov 12:00: the sea wall (21 Nov) goes, the lighthouse (22 Nov 18:15) and the
    # storm (23 Nov) stay, the ferry (20 Nov) stays because an editor changed it.
    assert HARBOUR & set(harbour.posts()) == {FERRY, LIGHTHOUSE, STORM}
    assert "keep_days: removed 1 generated posts older than 2 days (their ids stay seen)" in report.notes
    assert not (harbour.docs / "posts" / "2025" / "11" / "21").exists(), "emptied folders go too"
    assert SEA_WALL in seen_ids(harbour)
    run(settings, now=datetime(2025, 11, 24, 13, 0, tzinfo=timezone.utc))
    assert HARBOUR & set(harbour.posts()) == {FERRY, LIGHTHOUSE, STORM}, "the feed cannot bring it back"


@pytest.mark.slow
def test_two_processes_write_the_same_bytes(site, feed_server):
    """Each nightly run is a new process: nothing in a post may depend on the process."""
    feed_server.add_file("/pictures.xml", EDITORS / "pictures.xml")
    (site / "feeds.txt").write_text(f"{feed_server.url('/pictures.xml')}\n", encoding="utf-8")
    digest = [sys.executable, "-m", "digest", "fetch"]
    first = subprocess.run(digest, cwd=site, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")}
    state = (site / "digest-state.json").read_bytes()

    second = subprocess.run(digest, cwd=site, capture_output=True, text=True)

    assert second.returncode == 0, second.stderr
    after = {path: path.read_bytes() for path in (site / "docs" / "posts").rglob("*.md")}
    assert after == before
    assert (site / "digest-state.json").read_bytes() == state
    assert "0 new articles, 0 updated" in second.stdout


def test_keep_days_keeps_an_old_post_an_editor_pinned_in_see_also(harbour):
    config = harbour.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    posts_dir: posts\n", "    posts_dir: posts\n    keep_days: 2\n"), encoding="utf-8")
    pinned = harbour.posts()[SEA_WALL]
    letter = harbour.docs / "posts" / "editors" / "letter.md"
    letter.write_text(f"---\ntitle: On the sea wall\ndate: 2025-11-24\nsee_also:\n  - {pinned}\n"
                      "---\n\nOur view.\n", encoding="utf-8")

    report = run(load_settings(config), now=datetime(2025, 11, 24, 12, 0, tzinfo=timezone.utc))

    assert harbour.posts()[SEA_WALL] == pinned, "a see_also target is not removed"
    assert FERRY not in harbour.posts(), "the unpinned old post is"
    assert "keep_days: removed 1 generated posts older than 2 days (their ids stay seen)" in report.notes


# --- unpublishing: draft: true keeps the file and takes the post off the site --------------

def _mkdocs_build(root: Path) -> Path:
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--quiet"],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def _generated_text(root: Path) -> str:
    """Every listing page, feed and fragment digest pages wrote, as one text."""
    docs = root / "docs"
    files = [docs / "index.md", docs / "archive.md", docs / "feed.xml", docs / "atom.xml"]
    for folder in (docs / "days", docs / "categories", docs / "sources", docs / "feeds",
                   root / "overrides" / "digest-generated"):
        files += sorted(path for path in folder.rglob("*") if path.is_file())
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


@pytest.mark.slow
def test_an_unpublished_post_is_on_no_page_feed_search_or_sitemap_and_comes_back(harbour):
    src = harbour.posts()[SEA_WALL]
    before = set(harbour.posts())
    path = harbour.docs / src
    original = path.read_text(encoding="utf-8")
    unpublished = original.replace("\nid: ", "\ndraft: true\nid: ", 1)
    path.write_text(unpublished, encoding="utf-8")
    harbour.serve("harbour-v2.xml")            # the publisher updates the story meanwhile

    harbour.fetch()
    harbour.fetch()

    assert path.read_text(encoding="utf-8") == unpublished, "the nightly job rewrote it"
    assert harbour.posts()[SEA_WALL] == src, "moved or resurrected"
    assert set(harbour.posts()) == before | {STORM}, "a second copy"
    generated = _generated_text(harbour.root)
    assert "Council approves new sea wall" not in generated
    assert "council-approves-new-sea-wall" not in generated
    assert "Ferry timetable changes from Monday" in generated
    assert f"draft_docs: |\n  /{src}\n" in (harbour.root / "digest-build.yml").read_text(encoding="utf-8")

    built = _mkdocs_build(harbour.root)
    page = built / src[:-3] / "index.html"
    assert not page.exists() and not page.parent.exists()
    assert (built / harbour.posts()[FERRY][:-3] / "index.html").exists()
    assert main(["--config", str(harbour.root / "mkdocs.yml"), "publish"]) == 0
    for name in ("sitemap.xml", "index.html", "feed.xml", "atom.xml"):
        text = (built / name).read_text(encoding="utf-8")
        assert "council-approves-new-sea-wall" not in text and "new sea wall" not in text, name
    search = json.dumps(pagefind_records(built))
    assert "Ferry timetable" in search and "new sea wall" not in search.lower()

    # Removing the key brings it back, on the next digest pages and build.
    path.write_text(original, encoding="utf-8")
    assert main(["--config", str(harbour.root / "mkdocs.yml"), "pages"]) == 0
    assert "Council approves new sea wall" in _generated_text(harbour.root)
    assert "draft_docs" not in (harbour.root / "digest-build.yml").read_text(encoding="utf-8")
    assert (_mkdocs_build(harbour.root) / src[:-3] / "index.html").exists()


# --- editors' keys and notes: the nightly run changes none of them -------------------------

def test_the_nightly_run_changes_no_note_pick_correction_or_draft(harbour):
    """Every file an editor shapes the digest with, through two nightly runs in which the
    publisher updates two of the stories that carry them (and adds one)."""
    edits = {
        FERRY: ("\nid: ", "\nfeatured: true\nid: "),
        SEA_WALL: ("\nid: ", "\nupdated: 2025-11-24 09:00\ncorrection: The wall is 2 km long, "
                             "not 3 km.\nid: "),
        LIGHTHOUSE: ("\nid: ", "\ndraft: true\nrank: 2\nid: "),
    }
    for post_id, (old, new) in edits.items():
        path = harbour.docs / harbour.posts()[post_id]
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    config = str(harbour.root / "mkdocs.yml")
    assert main(["--config", config, "new", "--note", "Good morning"]) == 0
    assert main(["--config", config, "new", "Our harbour open day", "--draft"]) == 0
    note = next((harbour.docs / "notes").glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "The storm is the story today.\n",
                    encoding="utf-8")
    assert main(["--config", config, "check"]) == 0
    harbour.capsys.readouterr()
    shaped = [harbour.docs / harbour.posts()[post_id] for post_id in edits]
    shaped += [note, next((harbour.docs / "posts").rglob("our-harbour-open-day.md"))]
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in shaped}
    ids_before = set(harbour.posts())

    harbour.serve("harbour-v2.xml")
    output = harbour.fetch()
    harbour.fetch()

    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in shaped} == before
    assert set(harbour.posts()) == ids_before | {STORM}, "a story came back as a second post"
    assert "UPDATED" not in "".join(path.read_text(encoding="utf-8") for path in shaped)
    assert "2 edited posts kept" in output      # the two the publisher updated
