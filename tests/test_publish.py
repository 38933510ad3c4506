"""digest publish's parts on small built sites: sitemaps, theme leftovers, the size report.
The whole step over a real build (search in a browser included) is in tests/test_site.py
and tests/test_browser.py."""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path

from digest.config import load_settings
from digest.publish.publish import PublishReport, remove_theme_leftovers
from digest.publish.search import SearchReport, day_of, head_fields, page_url
from digest.publish.sitemaps import split_sitemaps, urlset
from digest.publish.size import FILE_LIMIT, measure


def write_sitemap(site: Path, count: int) -> list[str]:
    urls = [f"https://example.org/digest/posts/{number}/" for number in range(count)]
    entries = [f"\n    <loc>{url}</loc>\n    <lastmod>2026-11-23</lastmod>\n  " for url in urls]
    (site / "sitemap.xml").write_text(urlset(entries), encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(b"stale")
    return urls


def locations(text: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", text)


def test_a_long_sitemap_becomes_an_index_of_files_within_the_limit(tmp_path):
    urls = write_sitemap(tmp_path, 7)
    assert split_sitemaps(tmp_path, "https://example.org/digest/", limit=3) == 3
    index = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index
    assert locations(index) == [f"https://example.org/digest/sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [locations((tmp_path / f"sitemap-{n}.xml").read_text(encoding="utf-8")) for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [3, 3, 1]
    assert sum(parts, []) == urls
    assert "<lastmod>2026-11-23</lastmod>" in (tmp_path / "sitemap-1.xml").read_text(encoding="utf-8")
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == index.encode()


def test_a_sitemap_too_heavy_for_one_file_is_split_by_bytes_too(tmp_path):
    """50,000 article addresses make a 5.2 MiB sitemap: under the protocol's count, over the
    5 MiB no file of the site may pass."""
    urls = write_sitemap(tmp_path, 40)
    heavy = (tmp_path / "sitemap.xml").stat().st_size
    count = split_sitemaps(tmp_path, "https://example.org/digest/", max_bytes=heavy // 3)
    assert count in (3, 4)
    parts = [(tmp_path / f"sitemap-{n}.xml").read_text(encoding="utf-8") for n in range(1, count + 1)]
    assert all(len(part.encode()) <= heavy // 3 for part in parts)
    assert sum((locations(part) for part in parts), []) == urls


def test_a_short_sitemap_stays_and_old_parts_go(tmp_path):
    write_sitemap(tmp_path, 7)
    split_sitemaps(tmp_path, "https://example.org/digest/", limit=3)
    urls = write_sitemap(tmp_path, 2)          # the next build: fewer pages than the limit
    assert split_sitemaps(tmp_path, "https://example.org/digest/", limit=3) == 1
    assert locations((tmp_path / "sitemap.xml").read_text(encoding="utf-8")) == urls
    assert not list(tmp_path.glob("sitemap-*.xml"))


def test_no_sitemap_no_files(tmp_path):
    assert split_sitemaps(tmp_path, "", limit=3) == 0
    assert not list(tmp_path.iterdir())


def test_theme_folders_an_engine_copied_are_removed_but_not_the_editors(site):
    settings = load_settings(site / "mkdocs.yml")
    (settings.custom_dir / "hooks").mkdir(parents=True)
    (settings.custom_dir / "hooks" / "a_hook.py").write_text("", encoding="utf-8")
    built = site / "site"
    (built / "hooks").mkdir(parents=True)
    (built / "hooks" / "a_hook.py").write_text("", encoding="utf-8")
    (built / "digest-generated").mkdir()
    remove_theme_leftovers(settings, built)
    assert not (built / "hooks").exists()
    assert (built / "digest-generated").exists()      # not in the theme folder: docs/ made it
    (settings.docs_dir / "hooks").mkdir()
    (built / "hooks").mkdir()
    remove_theme_leftovers(settings, built)
    assert (built / "hooks").exists()                 # an editor's docs/hooks/ is published


def test_size_counts_every_file_and_names_the_ones_over_5_mib(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "small.html").write_bytes(b"x" * 100)
    (tmp_path / "big.json").write_bytes(b"x" * (FILE_LIMIT + 1))
    size = measure(tmp_path)
    assert (size.bytes, size.files) == (FILE_LIMIT + 101, 2)
    assert size.largest == ("big.json", FILE_LIMIT + 1)
    assert size.too_big == (("big.json", FILE_LIMIT + 1),)
    report = PublishReport(size, budget=FILE_LIMIT, search=SearchReport(1, 2, 3),
                           html_before=200, html_after=100, sitemaps=1)
    lines = report.lines()
    assert lines[0].startswith("site: 5.2 MB in 2 files, 100% of the 5.2 MB budget")
    assert any(line.startswith("warning: the site is over its budget by") for line in lines)
    assert any(line.startswith("warning: big.json is 5.0 MiB") for line in lines)
    assert report.markdown().startswith("### Published site\n\n- site: ")


def test_page_addresses_and_days_come_from_the_built_paths(tmp_path):
    page = tmp_path / "posts" / "2026" / "11" / "23" / "a-story" / "index.html"
    assert page_url(tmp_path, page) == "/posts/2026/11/23/a-story/"
    assert day_of("/posts/2026/11/23/a-story/") == date(2026, 11, 23)
    assert day_of("/posts/editors/welcome/") is None
    assert day_of("/posts/2026/13/40/x/") is None


def test_title_and_summary_are_read_from_the_head(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<head><meta name="description" content="Tides &amp; times">'
                    '<meta property="og:title" content="A &lt;b&gt; title"></head>', encoding="utf-8")
    assert head_fields(page) == {"description": "Tides & times", "og:title": "A <b> title"}
