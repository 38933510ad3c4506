"""files: the only writer. Atomic, idempotent, and no temp file beside the posts during a run."""

from __future__ import annotations

import os
import stat

import pytest

from digest.store import files
from digest.store.files import (SCRATCH, TEMP_PREFIX, remove_stray_temp_files, write_atomic,
                          write_if_changed)
from digest.store.lock import site_lock


def test_write_atomic_writes_the_text_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "docs" / "posts" / "a.md"

    write_atomic(target, "---\ntitle: A\n---\n\nÁrvíztűrő\n")

    assert target.read_text(encoding="utf-8") == "---\ntitle: A\n---\n\nÁrvíztűrő\n"
    assert [path.name for path in tmp_path.rglob("*")] == ["docs", "posts", "a.md"]
    # mkstemp makes 0600 files; a post is an ordinary file others (a web server) can read.
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044 & ~files._UMASK


def test_newlines_are_written_as_they_are(tmp_path):
    target = tmp_path / "a.md"
    write_atomic(target, "one\ntwo\n")
    assert target.read_bytes() == b"one\ntwo\n"


def test_write_if_changed_does_not_touch_an_unchanged_file(tmp_path):
    target = tmp_path / "a.md"
    assert write_if_changed(target, "same\n") is True
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))

    assert write_if_changed(target, "same\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert write_if_changed(target, "changed\n") is True
    assert target.read_text(encoding="utf-8") == "changed\n"


def test_during_a_run_temp_files_live_in_the_scratch_folder(tmp_path, monkeypatch):
    """A SIGKILL between writing the temp file and renaming it must leave nothing in docs/."""
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: renames.append(src) or real_replace(src, dst))
    target = tmp_path / "docs" / "posts" / "2025" / "a.md"

    with site_lock(tmp_path, tmp_path / "docs") as scratch:
        assert scratch == tmp_path / SCRATCH
        write_atomic(target, "text\n")

    assert os.path.dirname(renames[0]) == str(tmp_path / SCRATCH)
    assert os.path.basename(renames[0]).startswith(TEMP_PREFIX)
    assert not (tmp_path / SCRATCH).exists(), "the scratch folder goes with the run"
    write_atomic(target, "again\n")
    assert os.path.dirname(renames[1]) == str(target.parent), "outside a run: beside the target"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_text("old\n", encoding="utf-8")

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new\n")

    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["a.md"]


def test_durable_writes_reach_the_disk_before_the_rename(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))

    write_atomic(tmp_path / "page.md", "derived\n")
    write_atomic(tmp_path / "post.md", "kept\n", durable=True)

    assert len(synced) == 1


def test_stray_temp_files_of_a_killed_run_are_removed(tmp_path):
    (tmp_path / "posts" / "2025").mkdir(parents=True)
    (tmp_path / "posts" / "2025" / f"{TEMP_PREFIX}x1y2").write_text("half", encoding="utf-8")
    (tmp_path / "posts" / "keep.md").write_text("post", encoding="utf-8")

    assert remove_stray_temp_files(tmp_path) == 1
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == ["keep.md"]
