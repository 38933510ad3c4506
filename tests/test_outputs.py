"""digest.site.outputs: the site step's files are written only when changed, stale ones go,
and two outputs at one path are refused before anything is written."""

from __future__ import annotations

import pytest

from digest.site import build
from digest.site.outputs import OutputClash, Outputs, add_pages, write_outputs
from tests.helpers import build_pages


def test_two_outputs_at_one_path_are_refused(tmp_path):
    outputs = Outputs()
    outputs.add(tmp_path / "days/2026-11-23.md", "one", by="listing pages")
    with pytest.raises(OutputClash) as raised:
        outputs.add(tmp_path / "days/2026-11-23.md", "two", by="feeds")
    assert str(raised.value) == (f"{tmp_path}/days/2026-11-23.md: written twice by digest pages "
                                 "(feeds); two pages, feeds or fragments have the same file name")


def test_two_listing_pages_at_one_path_are_refused():
    pages = {"categories/index.md": "the index"}
    with pytest.raises(OutputClash, match=r"^categories/index.md: written twice by digest pages "
                                          r"\(the index of categories\)"):
        add_pages(pages, {"categories/index.md": "a category"}, by="the index of categories")


def test_a_clash_in_the_site_step_writes_nothing(pages_site, monkeypatch):
    site = pages_site
    # A category page and a listing that claims the same path, as a bad rule would make.
    clashing = {"categories/local.md": "a second page at the same path\n"}
    real_feed_files = build.feed_files
    monkeypatch.setattr(build, "feed_files", lambda *args: {**real_feed_files(*args), **clashing})
    with pytest.raises(OutputClash, match="^docs/categories/local.md: written twice"):
        build_pages(site)
    assert not (site / "docs/index.md").exists()


def test_unchanged_files_are_not_rewritten_and_stale_ones_go(tmp_path):
    owned = tmp_path / "days"
    (owned / "old.md").parent.mkdir(parents=True)
    (owned / "old.md").write_text("a day with no posts any more", encoding="utf-8")
    (tmp_path / "editors.md").write_text("not ours", encoding="utf-8")
    outputs = Outputs(owned_dirs=(owned,))
    outputs.add(owned / "new.md", "today", by="listing pages")
    first = write_outputs(outputs)
    assert (first.written, first.unchanged, first.removed) == (1, 0, 1)
    assert not (owned / "old.md").exists() and (tmp_path / "editors.md").exists()
    again = write_outputs(outputs)
    assert (again.written, again.unchanged, again.removed) == (0, 1, 0)
