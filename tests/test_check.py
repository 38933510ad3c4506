"""`digest check`: every problem with its file and line, errors fail, warnings do not.

The posts in tests/data/editors/check/ each open with a comment saying what they get wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.check import check_site
from digest.checks.settings import key_lines
from digest.cli import main

from .conftest import DATA

CHECK = DATA / "editors" / "check"


def set_option(site: Path, line: str) -> None:
    """Add one line under extra: digest: in the site's mkdocs.yml."""
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "    posts_dir: posts\n" in text
    config.write_text(text.replace("    posts_dir: posts\n", f"    posts_dir: posts\n{line}\n"),
                      encoding="utf-8")


def check(site: Path, capsys) -> tuple[int, list[str], str]:
    code = main(["--config", str(site / "mkdocs.yml"), "check"])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out


@pytest.fixture
def broken(site) -> Path:
    shutil.copytree(CHECK, site / "docs" / "posts" / "check")
    set_option(site, "    categories: [Transport, People, Weather, About, Sport]")
    return site


EXPECTED = [
    'docs/posts/check/bad-date.md:4: date: not a date: "yesterday"',
    "docs/posts/check/fetched-without-id.md:7: id: missing in a fetched post (it has feed:): "
    "without it, a lost state file would let the feed bring the story back as a second post",
    'docs/posts/check/fetched-without-id.md:6: warning: categories: "transport" is spelled '
    '"Transport" in extra.digest.categories',
    "docs/posts/check/no-front-matter.md:1: no front matter (a post starts with --- and title: "
    "and date: lines)",
    "docs/posts/check/no-title.md:1: title: missing or empty",
    "docs/posts/check/not-yaml.md:3: front matter is not valid YAML: mapping values are not "
    "allowed here",
    'docs/posts/check/good.md:6: id: "harbour-good-news" is also the id of '
    "docs/posts/check/copy-of-good.md (a copied post? give one of them another id, or delete it)",
    'docs/posts/check/see-also.md:7: see_also: no such post: "docs/posts/check/good.md" '
    '(did you mean "posts/check/good.md"? paths are relative to docs/)',
    'docs/posts/check/see-also.md:8: see_also: no such post: "posts/check/gone.md" '
    "(paths are relative to docs/, like posts/2026/11/23/slug.md)",
]


def test_every_problem_is_reported_with_its_file_and_line(broken, capsys):
    code, lines, summary = check(broken, capsys)

    assert sorted(lines) == sorted(EXPECTED)
    assert summary == "check: 8 errors, 1 warnings\n"
    assert code == 1


def test_the_sites_own_posts_and_settings_pass(site, capsys):
    code, lines, summary = check(site, capsys)

    assert (code, lines, summary) == (0, [], "check: 0 errors, 0 warnings\n")


def test_warnings_alone_do_not_fail(site, capsys):
    (site / "docs" / "posts" / "tide.md").write_text(
        "---\ntitle: Tide tables\ndate: 2025-11-20\nlink: harbour-wire.example/tides\n---\n\nText.\n",
        encoding="utf-8")

    code, lines, summary = check(site, capsys)

    assert lines == ['docs/posts/tide.md:4: warning: link: not an http(s) address: '
                     '"harbour-wire.example/tides"']
    assert (code, summary) == (0, "check: 0 errors, 1 warnings\n")


def test_a_reading_time_that_is_not_minutes_is_a_warning(site, capsys):
    (site / "docs" / "posts" / "long.md").write_text(
        "---\ntitle: A long read\ndate: 2025-11-20\nreading_time: about ten\n---\n\nText.\n",
        encoding="utf-8")

    code, lines, summary = check(site, capsys)

    assert lines == ["docs/posts/long.md:4: warning: reading_time: expected a whole number of "
                     "minutes, got 'about ten' (ignored)"]
    assert (code, summary) == (0, "check: 0 errors, 1 warnings\n")


def test_a_category_outside_the_allowed_ones_is_an_error(site, capsys):
    set_option(site, "    categories: [Transport, Weather]")

    code, lines, _ = check(site, capsys)

    # The site's own welcome post is filed under About, and the appeal has a Sport variant.
    sport = key_lines((site / "mkdocs.yml").read_text(encoding="utf-8"))["extra.digest.support.variants.Sport"]
    assert code == 1
    assert lines == [
        f"mkdocs.yml:{sport}: warning: extra.digest.support.variants.Sport: not one of the allowed "
        "categories (extra.digest.categories): this variant is never shown",
        'docs/posts/editors/welcome.md:4: categories: "About" is not an allowed category '
        "(extra.digest.categories: Transport, Weather)",
    ]


def test_bad_settings_are_reported_with_their_lines(site, capsys):
    set_option(site, "    keep_days: -1\n    keep_dayz: 3")

    code, lines, summary = check(site, capsys)

    text = (site / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    keep_days = text.index("    keep_days: -1") + 1
    assert code == 1
    assert lines[0].startswith(f"mkdocs.yml:{keep_days + 1}: extra.digest.keep_dayz: unknown setting")
    assert lines[1] == f"mkdocs.yml:{keep_days}: extra.digest.keep_days: must be 0 (keep everything) or more"
    assert summary == "check: 2 errors, 0 warnings\n"


def test_site_settings_digest_relies_on(site, capsys):
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("      link: support.md", "      link: members.md")
    text = text.replace("  - md_in_html\n", "  - md_in_html\n  - attr_list\n")
    text = text.replace("not_in_nav: |\n  /posts/**\n", "not_in_nav: |\n")
    config.write_text(text, encoding="utf-8")
    (site / "overrides" / "main.html").unlink()
    (site / "digest-state.json").write_text("{not json", encoding="utf-8")
    lines = key_lines(text)

    code, problems, _ = check(site, capsys)

    assert code == 1
    assert problems == [
        f"mkdocs.yml:{lines['extra.digest.support.link']}: extra.digest.support.link: no such page: "
        "docs/members.md (a page under docs/ or a full https:// address)",
        f"mkdocs.yml:{lines['theme.custom_dir']}: theme.custom_dir: must be the folder with "
        "digest's templates (main.html): without it articles show no See also and no appeal",
        f"mkdocs.yml:{lines['not_in_nav']}: warning: not_in_nav: should list /posts/** (without it, "
        "every page's navigation lists every article)",
        f"mkdocs.yml:{lines['markdown_extensions[attr_list]']}: warning: markdown_extensions: "
        "attr_list lets text from feeds add HTML attributes to our pages; leave it out",
        "digest-state.json: warning: unreadable (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)); the next fetch rebuilds what it can from the posts' front matter",
    ]


def test_feeds_txt_problems_name_their_line(site, capsys):
    (site / "feeds.txt").write_text("# feeds\nhttps://harbour-wire.example/feed.xml\n"
                                    "ftp://harbour-wire.example/feed.xml\n", encoding="utf-8")

    code, lines, _ = check(site, capsys)

    assert code == 1
    assert lines == ["feeds.txt:3: unsupported URL scheme 'ftp' in "
                     "'ftp://harbour-wire.example/feed.xml' (use http, https or a local file path)"]


def test_check_site_returns_the_problems_for_other_tools(broken):
    problems = check_site(broken / "mkdocs.yml")

    assert sum(problem.fatal for problem in problems) == 8
    assert all(problem.where.startswith("docs/posts/check/") for problem in problems)


def test_on_github_each_problem_is_also_an_annotation(site, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (site / "docs" / "posts" / "tide.md").write_text(
        "---\ntitle: Tides\ndate: 100% sure\n---\n\nText.\n", encoding="utf-8")
    (site / "docs" / "posts" / "wave.md").write_text(
        "---\ntitle: Waves\ndate: 2025-11-20\nlink: tides\n---\n\nText.\n", encoding="utf-8")

    code = main(["--config", str(site / "mkdocs.yml"), "check"])
    out = capsys.readouterr().out

    assert code == 1
    assert out.splitlines() == [
        '::error file=docs/posts/tide.md,line=3::date: not a date: "100%25 sure"',
        '::warning file=docs/posts/wave.md,line=4::link: not an http(s) address: "tides"',
        "check: 1 errors, 1 warnings",
    ]


# --- the keys editors shape the site with ---------------------------------------------------

def write_post(site: Path, name: str, front: str) -> str:
    (site / "docs" / "posts" / name).write_text(f"---\n{front}---\n\nText.\n", encoding="utf-8")
    return f"docs/posts/{name}"


def test_draft_must_be_true_or_false_and_published_is_not_read(site, capsys):
    bad = write_post(site, "bad.md", 'title: Bad\ndate: 2025-11-20\ndraft: "no"\npublished: false\n')

    code, lines, _ = check(site, capsys)

    assert code == 1
    assert lines == [
        f"{bad}:4: draft: expected true or false, got 'no' (the post is kept off the site until "
        "this is fixed)",
        f"{bad}:5: published: digest does not read this key; to take a post off the site while "
        "keeping its file, write draft: true",
    ]


def test_a_draft_needs_mkdocs_yml_to_inherit_the_build_config(site, capsys):
    write_post(site, "later.md", "title: Later\ndate: 2025-11-20\ndraft: true\n")
    assert check(site, capsys)[0] == 0
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("INHERIT: digest-build.yml\n", "")
                      + "draft_docs: |\n  /posts/other.md\n", encoding="utf-8")

    code, lines, _ = check(site, capsys)

    line = len(text.replace("INHERIT: digest-build.yml\n", "").splitlines()) + 1
    assert code == 1
    assert lines == [
        "mkdocs.yml: INHERIT: mkdocs.yml must start with INHERIT: digest-build.yml (written by "
        "digest pages); without it 1 post(s) with draft: true would be published",
        f"mkdocs.yml:{line}: draft_docs: replaces the one digest writes in digest-build.yml; "
        "remove it (with it 1 post(s) with draft: true would be published, or editor's notes "
        "become pages of their own)",
    ]


def test_a_story_must_be_a_slug_or_false(site, capsys):
    write_post(site, "moved.md", "title: Tide tables\ndate: 2025-11-20\nstory: dock-strike-2\n")
    write_post(site, "alone.md", "title: Obituary\ndate: 2025-11-20\nstory: false\n")
    typo = write_post(site, "typo.md", "title: Tides\ndate: 2025-11-20\ncategories: [About]\n"
                                       "story: Dock Strike\n")
    yes = write_post(site, "yes.md", "title: Tides\ndate: 2025-11-20\nstory: true\n")

    code, lines, _ = check(site, capsys)

    assert code == 1
    assert lines == [
        f"{typo}:5: story: expected a story's slug (lower-case letters, digits and "
        'hyphens, as in its page\'s address stories/SLUG/) or false, got "Dock Strike"',
        f"{yes}:4: story: expected a story's slug (lower-case letters, digits and "
        "hyphens, as in its page's address stories/SLUG/) or false, got True",
    ]


def test_picks_and_corrections_are_checked_with_their_lines(site, capsys):
    bad = write_post(site, "picks.md", "title: Picks\ndate: 2025-11-20 09:00\nfeatured: yes please\n"
                                       "rank: 0\nupdated: soon\ncorrection: Not 3 km.\n")
    early = write_post(site, "early.md", "title: Early\ndate: 2025-11-20\nupdated: 2025-11-19\n"
                                         "correction: ''\n")
    alone = write_post(site, "alone.md", "title: Alone\ndate: 2025-11-20\ncorrection: Fixed.\n")
    write_post(site, "fine.md", "title: Fine\ndate: 2025-11-20 09:00\nrank: 2\n"
                                "updated: 2025-11-20\ncorrection: The wall is 2 km long.\n")

    code, lines, _ = check(site, capsys)

    assert code == 1
    assert sorted(lines) == sorted([
        f"{bad}:4: featured: expected true or false, got 'yes please'",
        f"{bad}:5: rank: expected a whole number from 1 (1 leads the day), got 0",
        f"{bad}:6: updated: not a date: 'soon' (like 2026-11-24 or 2026-11-24 09:30)",
        f"{early}:4: warning: updated: earlier than the post's date: the notice would say it was "
        "corrected before it was published",
        f"{early}:5: correction: expected the text of the notice, like: The ferry leaves at "
        "07:10, not 07:30.",
        f"{alone}:4: correction: needs updated: with the day of the correction (the notice is "
        "dated); it is not shown without it",
    ])


def test_notes_are_checked_with_their_lines(site, capsys):
    notes = site / "docs" / "notes"
    notes.mkdir()
    (notes / "monday.md").write_text("Hello\n", encoding="utf-8")
    (notes / "2025-11-20.md").write_text("---\ntitle: Hi\nauthor: Jane\n---\n\nText.\n", encoding="utf-8")

    code, lines, _ = check(site, capsys)

    assert code == 1
    assert lines == [
        "docs/notes/2025-11-20.md:3: warning: author: not a note's key (a note has only title:)",
        "docs/notes/monday.md:1: not a note's file name: a note is named by its day, like 2026-12-01.md",
    ]


def test_a_link_to_an_unpublished_post_is_a_warning(site, capsys):
    write_post(site, "later.md", "title: Later\ndate: 2025-11-20\ndraft: true\n")
    linking = site / "docs" / "posts" / "linking.md"
    linking.write_text("---\ntitle: Linking\ndate: 2025-11-21\n---\n\nSee [later](later.md).\n",
                       encoding="utf-8")
    (site / "docs" / "notes").mkdir()
    (site / "docs" / "notes" / "2025-11-21.md").write_text(
        "Read [this][x].\n\n[x]: ../posts/later.md\n", encoding="utf-8")

    code, lines, _ = check(site, capsys)

    assert code == 0
    assert lines == [
        "docs/posts/linking.md:6: warning: links to posts/later.md, which is unpublished (draft: "
        "true): readers get a dead link",
        "docs/notes/2025-11-21.md:3: warning: links to posts/later.md, which is unpublished (draft: "
        "true): readers get a dead link",
    ]


@pytest.mark.slow
def test_names_that_would_collide_get_pages_of_their_own_and_check_says_so(site, feed_server, capsys):
    """A category or source named "Index" (index.hu is a real news site) wrote
    categories/index.md over the list of categories; names without letters fell back to
    "other" and merged with a real "Other"."""
    from digest.cli import main
    from tests.helpers import mkdocs_build

    items = "".join(
        f"<item><title>Story {number} from the index desk</title><link>https://index.example/{number}</link>"
        f"<guid>https://index.example/{number}</guid><category>{category}</category>"
        f"<pubDate>Mon, 23 Nov 2026 0{number}:00:00 +0000</pubDate><description>Story {number}.</description></item>"
        for number, category in enumerate(("Index", "★", "???", "Other"), start=1))
    url = feed_server.add("/index.xml", '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                          "<title>Index</title><link>https://index.example/</link><description>x</description>"
                          f"{items}</channel></rss>")
    (site / "feeds.txt").write_text(f"{url} Index\n", encoding="utf-8")
    assert main(["--config", str(site / "mkdocs.yml"), "fetch"]) == 0
    capsys.readouterr()

    docs = site / "docs"
    listing = (docs / "categories" / "index.md").read_text(encoding="utf-8")
    for name in ("Index", "★", "???", "Other"):
        assert f"[{name}]" in listing.replace("\\", ""), name
    pages = {path.name for path in (docs / "categories").glob("*.md")}
    assert {"index.md", "index_.md", "other.md", "_26c57b08.md", "_a03b221c.md"} <= pages
    assert (docs / "sources" / "index_.md").is_file() and "Index" in (docs / "sources" / "index.md").read_text(encoding="utf-8")

    assert main(["--config", str(site / "mkdocs.yml"), "check"]) == 0
    err = capsys.readouterr().err
    assert 'warning: category "Index" is published at docs/categories/index_.md' in err
    assert 'warning: source "Index" is published at docs/sources/index_.md' in err
    assert 'warning: category "★" has no letters or digits for a page name' in err
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
