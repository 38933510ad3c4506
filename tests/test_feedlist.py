"""feeds.txt: one feed per line, URL or local path first, then an optional display name."""

from pathlib import Path

import pytest

from digest.errors import FeedListError
from digest.ingest.feedlist import read_feed_list


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_urls_names_comments_and_blank_lines(tmp_path):
    (tmp_path / "local.xml").write_text("<rss/>")
    path = write(tmp_path, "# our feeds\n\nhttps://a.example/rss  The   A Times\n"
                           "http://b.example/feed\n  local.xml Bundled feed\n")
    sources = read_feed_list(path)
    assert [(s.url, s.name, s.where) for s in sources] == [
        ("https://a.example/rss", "The A Times", "feeds.txt:3"),
        ("http://b.example/feed", None, "feeds.txt:4"),
        (str(tmp_path / "local.xml"), "Bundled feed", "feeds.txt:5"),
    ]
    assert [s.is_local for s in sources] == [False, False, True]


def test_every_bad_line_is_named_with_its_line_number(tmp_path):
    path = write(tmp_path, "https://ok.example/rss\nftp://x.example/feed\nhttps:///nohost\n"
                           "missing.xml Some name\nhttps://ok.example/rss again\n")
    with pytest.raises(FeedListError) as error:
        read_feed_list(path)
    assert str(error.value).splitlines() == [
        "feeds.txt:2: unsupported URL scheme 'ftp' in 'ftp://x.example/feed' "
        "(use http, https or a local file path)",
        "feeds.txt:3: URL has no host: 'https:///nohost'",
        "feeds.txt:4: not a URL and no such file: 'missing.xml'",
        "feeds.txt:5: duplicate feed, already listed at feeds.txt:1",
    ]


def test_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(FeedListError, match=r"^feeds.txt: not found at "):
        read_feed_list(tmp_path / "feeds.txt")


def test_the_repos_own_feed_list_and_the_demo_list_are_valid():
    repo = Path(__file__).resolve().parent.parent
    assert len(read_feed_list(repo / "feeds.txt")) >= 5
    demo = repo / "demo" / "feeds.txt"
    if demo.exists():
        assert all(source.is_local for source in read_feed_list(demo))
