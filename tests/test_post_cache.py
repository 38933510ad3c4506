"""post_cache: parsed posts kept between runs by file content, never a wrong post."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.store import post_cache
from digest.store.post_cache import MAGIC, PostCache, cache_file, code_stamp
from digest.store.posts import load_posts, post_files
from tests.helpers import digest

UTC = ZoneInfo("UTC")
GOOD = ("---\ntitle: Ferry timetable\ndate: '2025-11-20T07:30:00+00:00'\nid: harbour-1\n"
        "feed: https://harbour.example/feed.xml\ncategories: [Transport]\n---\n\nThe ferry leaves earlier.\n")


@pytest.fixture
def docs(tmp_path) -> Path:
    """A posts folder with what an archive holds: generated, hand-written, dated in the
    site's zone, a CRLF file, and three broken ones."""
    docs = tmp_path / "docs"
    posts = docs / "posts"
    for rel, text in {
        "2025/11/20/ferry.md": GOOD,
        "2025/11/20/ferry-late.md": GOOD.replace("harbour-1", "harbour-2").replace("07:30", "09:30"),
        "2025/11/21/letter.md": "---\ntitle: A letter\ndate: 2025-11-21 08:00\n---\n\nHello.\n",
        "2025/11/21/windows.md": "---\r\ntitle: Typed on Windows\r\ndate: 2025-11-21\r\n---\r\n\r\nText.\r\n",
        "2025/11/22/bad-date.md": "---\ntitle: Tides\ndate: yesterday\n---\n\nText.\n",
        "2025/11/22/not-yaml.md": "---\ntitle: A: B\n  date: 2025-11-20\n---\n\nText.\n",
        "editors/no-front.md": "Just text.\n",
    }.items():
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_bytes(text.encode())
    (posts / "2025" / "11" / "22" / "latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    return docs


def load(docs: Path, cache: Path, zone: ZoneInfo = UTC):
    posts, problems = load_posts(docs, "posts", zone, cache)
    return posts, [str(problem) for problem in problems]


def test_a_warm_run_gives_exactly_the_posts_and_problems_of_a_cold_run(docs, tmp_path, capsys):
    uncached = load_posts(docs, "posts", UTC)
    cache = tmp_path / ".digest-cache" / "posts.pickle"

    cold = load(docs, cache)
    assert cache.is_file()
    warm = load(docs, cache)

    assert cold == warm == (uncached[0], [str(problem) for problem in uncached[1]])
    assert len(warm[0]) == 4 and len(warm[1]) == 4
    assert capsys.readouterr().err == ""


def test_bad_front_matter_is_still_reported_with_its_line_from_the_cache(docs, tmp_path):
    cache = tmp_path / "posts.pickle"
    load(docs, cache)
    stamp = cache.stat().st_mtime_ns

    _, problems = load(docs, cache)

    assert cache.stat().st_mtime_ns == stamp        # nothing new: the cache was not rewritten
    assert 'docs/posts/2025/11/22/bad-date.md:3: date: not a date: "yesterday"' in problems
    assert any(p.startswith("docs/posts/2025/11/22/not-yaml.md:2: front matter is not valid YAML")
               for p in problems)
    assert "docs/posts/2025/11/22/latin1.md:1: not UTF-8 text (invalid continuation byte)" in problems
    assert any(p.startswith("docs/posts/editors/no-front.md:1: no front matter") for p in problems)


def test_an_edited_file_is_read_again_even_with_its_old_size_and_time(docs, tmp_path):
    cache = tmp_path / "posts.pickle"
    load(docs, cache)
    path = docs / "posts" / "2025" / "11" / "20" / "ferry.md"
    before = path.stat()
    path.write_text(GOOD.replace("Ferry timetable", "Ferry timeta8le"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))   # as a copy with -p would
    fixed = docs / "posts" / "2025" / "11" / "22" / "bad-date.md"
    fixed.write_text(fixed.read_text().replace("yesterday", "2025-11-22"), encoding="utf-8")

    posts, problems = load(docs, cache)

    assert "Ferry timeta8le" in {post.title for post in posts}
    assert "Tides" in {post.title for post in posts}
    assert not any("bad-date.md" in problem for problem in problems)
    assert load(docs, cache) == (posts, problems) == load(docs, None)


def test_a_deleted_post_leaves_the_cache_and_a_moved_one_is_found_at_its_new_path(docs, tmp_path):
    cache = tmp_path / "posts.pickle"
    load(docs, cache)
    (docs / "posts" / "2025" / "11" / "21" / "letter.md").unlink()
    (docs / "posts" / "2025" / "11" / "20" / "ferry.md").rename(docs / "posts" / "editors" / "ferry.md")

    posts, _ = load(docs, cache)

    assert "A letter" not in {post.title for post in posts}
    assert "posts/editors/ferry.md" in {post.src for post in posts}
    assert sorted(PostCache(cache, "UTC").kept) == post_files(docs, "posts")


@pytest.mark.parametrize("damage", [
    lambda data: data[:len(data) // 2],                                       # cut short
    lambda data: data[:-40] + bytes(b ^ 0x20 for b in data[-40:]),            # bytes altered
    lambda data: b"",
    lambda data: b"\x00" * 64,
    lambda data: MAGIC + b"garbage",
], ids=["truncated", "altered", "empty", "zeros", "magic-only"])
def test_a_damaged_cache_is_one_warning_and_a_cold_run(docs, tmp_path, capsys, damage):
    cache = tmp_path / "posts.pickle"
    cold = load(docs, cache)
    cache.write_bytes(damage(cache.read_bytes()))
    capsys.readouterr()

    assert load(docs, cache) == cold
    warnings = capsys.readouterr().err.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith(f"warning: {cache}: ")
    assert warnings[0].endswith("reading every post again")
    capsys.readouterr()
    assert load(docs, cache) == cold and capsys.readouterr().err == ""   # rewritten whole


def test_a_cache_that_would_run_code_is_refused(docs, tmp_path, capsys):
    """Even with a valid stamp and checksum (a planted file), only a post's classes load."""
    cache = tmp_path / "posts.pickle"
    cold = load(docs, cache)
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps({"posts/x.md": Exploit()})
    checksum = hashlib.blake2b(payload, digest_size=32).digest()
    cache.write_bytes(MAGIC + code_stamp("UTC") + b"\n" + checksum + payload)

    assert load(docs, cache) == cold
    assert not marker.exists()
    assert "unreadable (UnpicklingError)" in capsys.readouterr().err


def test_another_code_version_or_time_zone_is_a_quiet_cold_run(docs, tmp_path, capsys, monkeypatch):
    cache = tmp_path / "posts.pickle"
    load(docs, cache)
    london = load(docs, cache, ZoneInfo("Europe/London"))
    assert london == load(docs, None, ZoneInfo("Europe/London"))     # naive dates in London time
    assert london == load(docs, cache, ZoneInfo("Europe/London"))    # warm, zones and all
    assert any(post.date.tzinfo == ZoneInfo("Europe/London") for post in london[0])
    monkeypatch.setattr(post_cache, "FORMAT", post_cache.FORMAT + 1)
    assert load(docs, cache) == load(docs, None)
    assert capsys.readouterr().err == ""


def test_the_stamp_follows_the_parsing_code():
    assert code_stamp("UTC") == code_stamp("UTC") != code_stamp("Europe/Paris")
    assert set(post_cache._PARSERS) == {"posts.py", "frontmatter.py"}
    assert all((Path(post_cache.__file__).parent / name).is_file() for name in post_cache._PARSERS)


def test_post_files_are_in_the_order_of_a_sorted_rglob(tmp_path):
    docs = tmp_path / "docs"
    for rel in ("posts/a/z.md", "posts/a-b/c.md", "posts/a.md", "posts/a/b/c.md", "posts/.x.md",
                "posts/b/not-a-post.txt", "posts/B.md"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x")

    expected = [p.relative_to(docs).as_posix() for p in sorted((docs / "posts").rglob("*.md"))]
    assert post_files(docs, "posts") == expected


def test_a_cache_that_cannot_be_saved_costs_a_warning_not_the_run(docs, tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")

    assert load(docs, blocked / "posts.pickle") == load(docs, None)
    assert "could not save the post cache" in capsys.readouterr().err


def test_digest_fetch_keeps_the_cache_in_the_sites_root_and_reports_bad_posts_every_run(site):
    bad = site / "docs" / "posts" / "editors" / "tides.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("---\ntitle: Tides\ndate: yesterday\n---\n\nText.\n", encoding="utf-8")

    for run in ("cold", "warm"):
        result = digest(site, "fetch")
        assert result.returncode == 0, result.stderr
        assert 'docs/posts/editors/tides.md:3: date: not a date: "yesterday"' in result.stdout, run
        assert cache_file(site).is_file()
    pages = digest(site, "pages")
    assert pages.returncode == 0 and pages.stderr == ""
    assert "0 written" in pages.stdout
