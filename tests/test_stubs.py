"""The small pages at compact articles' addresses (digest/publish/stubs.py); the whole path,
from digest pages to the published site, is in tests/test_compact_site.py."""

from __future__ import annotations

import json

import pytest

from digest.errors import DigestError
from digest.publish.search import head_fields
from digest.publish.stubs import load_manifest, story_stub_page, stub_page, write_stubs
from digest.site.compact import MANIFEST_VERSION
from digest.site.urls import COMPACT_MANIFEST

HEAD = {"version": MANIFEST_VERSION, "language": "de", "site_name": "Der <Digest>",
        "note": "Ein älterer Artikel.", "archive_label": "Archiv", "plan": []}


def entry(**changes) -> dict:
    page = {"url": "posts/2025/01/03/x/", "canonical": "https://example.org/posts/2025/01/03/x/",
            "title": 'Rates "rise" <script>alert(1)</script>', "summary": "A & B.",
            "source": "Wire", "datetime": "2025-01-03T08:00:00+00:00", "when": "3. Januar 2025",
            "lang": "", "link": "https://wire.example/x", "original": "Original bei Wire lesen",
            "story": "../../../../../stories/rates/", "story_label": "Alle 3 Berichte",
            "month": "../../../../../archive/2025-01/", "month_label": "Mehr aus Januar 2025",
            "home": "../../../../..", "archive": "../../../../../archive/"}
    page.update(changes)
    return page


def test_a_small_page_escapes_the_feed_text_and_the_search_step_reads_its_head(tmp_path):
    text = stub_page(HEAD, entry())
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert '<html lang="de"' in text and "Der &lt;Digest&gt;" in text
    path = tmp_path / "index.html"
    path.write_text(text, encoding="utf-8")
    assert head_fields(path) == {"og:title": 'Rates "rise" <script>alert(1)</script>',
                                 "description": "A & B."}
    assert len(text.encode()) < 2000


def test_without_a_story_link_or_site_url_those_parts_are_left_out():
    text = stub_page(HEAD, entry(story="", story_label="", canonical="", link="", lang="ur"))
    assert "stories/" not in text and "canonical" not in text and "wire.example" not in text
    assert '<article lang="ur">' in text


def test_an_address_the_engine_built_a_page_at_is_left_alone(tmp_path):
    built = tmp_path / "posts" / "2025" / "01" / "03" / "x" / "index.html"
    built.parent.mkdir(parents=True)
    built.write_text("<!doctype html><html><body>the engine's page</body></html>", encoding="utf-8")
    other = entry(url="posts/2025/01/03/y/")
    assert write_stubs({**HEAD, "pages": [entry(), other]}, tmp_path) == 1
    assert "the engine's page" in built.read_text(encoding="utf-8")
    assert "digest-compact" in (built.parent.parent / "y" / "index.html").read_text(encoding="utf-8")


def test_a_broken_or_foreign_manifest_is_one_clear_error(tmp_path):
    assert load_manifest(tmp_path) is None
    (tmp_path / COMPACT_MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(DigestError, match="digest-compact.json: not readable"):
        load_manifest(tmp_path)
    (tmp_path / COMPACT_MANIFEST).write_text(json.dumps({"version": 99}), encoding="utf-8")
    with pytest.raises(DigestError, match="another version of digest"):
        load_manifest(tmp_path)


def test_a_compact_story_lists_its_reports_to_their_pages_and_originals():
    story = {"url": "stories/rates/", "canonical": "", "title": "Rates <rise>", "summary": "S.",
             "meta": "3 Quellen · 3. Januar 2025", "month": "../../archive/2025-01/",
             "month_label": "Mehr aus Januar 2025", "home": "../..", "archive": "../../archive/",
             "reports": [{"title": f"Report {n}", "href": f"../../posts/2025/01/0{n}/r{n}/",
                          "source": "Wire", "when": f"{n}. Jan.", "datetime": "2025-01-03T08:00:00+00:00",
                          "lang": "", "link": f"https://wire.example/{n}", "original": "Original"}
                         for n in (3, 2, 1)]}
    text = story_stub_page(HEAD, story)
    assert text.count("<li><a href=\"../../posts/2025/01/0") == 3
    assert 'href="https://wire.example/2" rel="noopener">Original</a>' in text
    assert "<h1>Rates &lt;rise&gt;</h1>" in text and "data-pagefind-body" not in text
    assert len(text.encode()) < 2500
