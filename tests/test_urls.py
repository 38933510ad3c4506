"""digest.site.urls: the one owner of the site's paths, URLs and file names."""

from __future__ import annotations

import posixpath
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.site import urls


@pytest.mark.parametrize("src, directory_urls, url", [
    ("index.md", True, ""),
    ("categories/index.md", True, "categories/"),
    ("days/2026-11-23.md", True, "days/2026-11-23/"),
    ("days/2026-11-23.md", False, "days/2026-11-23.html"),
    ("categories/index.md", False, "categories/index.html"),
    ("posts/2026/11/23/a.md", True, "posts/2026/11/23/a/"),
])
def test_page_url_is_what_mkdocs_publishes(src, directory_urls, url):
    assert urls.page_url(src, directory_urls) == url


def test_relative_url_between_pages_and_files():
    assert urls.relative_url("posts/2026/11/23/a.md", "categories/local.md") == "../../../../../categories/local/"
    assert urls.relative_url("posts/2026/11/23/a.md", "posts/2026/11/20/b.md") == "../../20/b/"
    assert urls.relative_url("index.md", "feed.xml") == "feed.xml"
    assert urls.relative_url("days/x.md", "index.md", directory_urls=False) == "../index.html"
    assert urls.relative_url("days/x.md", "days/y.md", directory_urls=False) == "y.html"


@given(st.lists(st.sampled_from(["a", "b", "posts", ".", "..", ""]), max_size=6),
       st.lists(st.sampled_from(["a", "b", "posts", ".", "..", ""]), max_size=6))
def test_relative_path_is_posix_relpath(path, start):
    # The string version must give what relpath gives (that works from the working folder).
    path, start = "/".join(path), "/".join(start)
    if not path:
        with pytest.raises(ValueError):
            urls.relative_path(path, start)
        return
    assert urls.relative_path(path, start) == posixpath.relpath(path, start)


def test_relative_path_of_site_paths():
    assert urls.relative_path("posts/2026/11/20/b/", "posts/2026/11/23/a/") == "../../20/b"
    assert urls.relative_path("categories/x.md", "categories") == "x.md"
    assert urls.relative_path("days/", "days/") == "."


def test_listing_paths():
    assert urls.day_src(date(2026, 11, 3)) == "days/2026-11-03.md"
    assert urls.category_src("Économie & Société") == "categories/economie-societe.md"
    # A name with no letters still has a page, its own: not "other", which is Other's.
    assert urls.source_src("★") == "sources/_26c57b08.md" != urls.source_src("???")
    assert urls.source_src("Other") == "sources/other.md"
    assert urls.category_src("Index") == "categories/index_.md"   # categories/index.md lists them
    assert urls.paged_src("categories/local.md", 0) == "categories/local.md"
    assert urls.paged_src("categories/local.md", 1) == "categories/local/page-1.md"
    assert urls.paged_src("categories/local.md", 3) == "categories/local/page-3.md"


def test_every_rss_feed_has_an_atom_twin():
    assert urls.category_feed("Local News") == "feeds/local-news.xml"
    assert urls.atom_twin(urls.category_feed("Local News")) == "feeds/local-news.atom"
    assert (urls.SITE_RSS, urls.SITE_ATOM) == ("feed.xml", "atom.xml")   # what readers subscribed to


@pytest.mark.parametrize("link, directory_urls, path", [
    ("support.md", True, "support/"),
    ("support.md", False, "support.html"),
    ("support.md#tiers", True, "support/#tiers"),
    ("about/index.md", True, "about/"),
    ("about/index.md", False, "about/index.html"),
    ("https://pay.example/join", True, "https://pay.example/join"),
    ("mailto:members@example.org", True, "mailto:members@example.org"),
])
def test_the_appeals_link_as_published(link, directory_urls, path):
    assert urls.support_path(link, directory_urls) == path


def test_the_appeals_link_in_a_feed_is_absolute_and_its_page_is_checked():
    assert urls.support_url("support.md#tiers", "https://example.org/digest/") == \
        "https://example.org/digest/support/#tiers"
    assert urls.support_url("https://pay.example/join", "https://example.org/") == "https://pay.example/join"
    assert urls.support_page("support.md#tiers") == "support.md"
    assert urls.support_page("https://pay.example/join") == ""


def test_articles_share_a_fragment_file_by_day():
    assert urls.fragment_group("posts/2026/11/23/a-story/", "posts") == "posts/2026/11/23/"
    assert urls.fragments_file("news/2026/11/23/a-story/", "news") == "article/news/2026/11/23/_.html"
    assert urls.fragment_prefix_length("posts") == len("posts/2026/11/23/")


def test_every_name_gets_a_page_of_its_own():
    assert urls.category_src("Index") == "categories/index_.md"       # not the folder's index
    assert urls.slug("Sport") == urls.slug("SPORT") == urls.slug("Spórt") == "sport"   # one page, on purpose
    long_a, long_b = "Regional news " * 5 + "north", "Regional news " * 5 + "south"
    assert urls.slug(long_a) != urls.slug(long_b) and len(urls.slug(long_a)) <= urls.SLUG_MAX
    # A resolved slug holds "_", which no name's natural slug does.
    assert "_" not in urls.slug("Index 1 _ x") and urls.slug("Index 1 _ x") != urls.slug("Index")
