"""`digest new "Title"` and `digest new --note`: today's dated path, valid front matter,
never an overwrite. Run through the real command line in a copy of the site."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.check import check_site
from digest.cli import main
from digest.config import load_settings
from digest.store.newpost import NewPost, write_new_note, write_new_post
from digest.store.posts import read_post

BIN = Path(sys.executable).parent


def new(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "digest"), "new", *args], cwd=site, capture_output=True,
                          text=True, timeout=60)


def today(site: Path) -> datetime:
    zone = load_settings(site / "mkdocs.yml").timezone
    return datetime.now(timezone.utc).astimezone(ZoneInfo(zone))


def test_new_post_lands_at_todays_path_with_valid_front_matter(site):
    result = new(site, "Our new podcast: episode 1!", "--category", "Audio", "--author", "Jane Editor")
    assert result.returncode == 0, result.stderr
    day = today(site)
    expected = f"docs/posts/{day:%Y/%m/%d}/our-new-podcast-episode-1.md"
    assert result.stdout.strip() == expected
    path = site / expected
    post, problems = read_post(path, site / "docs", ZoneInfo("Europe/London"))
    assert problems == []
    assert post.title == "Our new podcast: episode 1!"
    assert post.categories == ("Audio",) and post.author == "Jane Editor"
    assert not post.generated and not post.draft
    assert post.date.astimezone(ZoneInfo("Europe/London")).date() == day.date()
    assert [p for p in check_site(site / "mkdocs.yml") if p.fatal] == []


def test_new_refuses_to_overwrite_with_an_error_line(site):
    assert new(site, "Our new podcast").returncode == 0
    path = next((site / "docs" / "posts").rglob("our-new-podcast.md"))
    path.write_text(path.read_text(encoding="utf-8") + "The editor's words.\n", encoding="utf-8")
    before = path.read_bytes()
    result = new(site, "Our new podcast")
    assert result.returncode == 1
    shown = path.relative_to(site).as_posix()
    assert result.stderr == (f"Error: {shown} already exists; digest new never overwrites a file "
                             "(edit it, or choose another title)\n")
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".digest-new-")]


def test_new_without_a_title_is_an_error(site):
    result = new(site)
    assert result.returncode == 1
    assert result.stderr == 'Error: digest new: a post needs a title, like: digest new "Our new podcast"\n'


def test_new_rejects_a_category_the_site_does_not_allow(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "    posts_dir: posts\n", "    posts_dir: posts\n    categories: [World, Sport]\n"),
        encoding="utf-8")
    result = new(site, "Match report", "-c", "Gardening")
    assert result.returncode == 1
    assert result.stderr == ('Error: --category: "Gardening" is not an allowed category '
                             "(extra.digest.categories: World, Sport)\n")
    # The allowed spelling is used.
    assert new(site, "Match report", "-c", "sport").returncode == 0
    post = next((site / "docs" / "posts").rglob("match-report.md")).read_text(encoding="utf-8")
    assert "- Sport\n" in post


def test_new_draft_starts_unpublished(site):
    settings = load_settings(site / "mkdocs.yml")
    path = write_new_post(settings, NewPost("Not yet", draft=True))
    post, _ = read_post(path, settings.docs_dir, ZoneInfo(settings.timezone))
    assert post.draft


def test_the_date_and_folder_are_the_sites_time_zone(site):
    settings = load_settings(site / "mkdocs.yml")       # Europe/London
    late = datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)   # 00:30 on 1 July in London
    path = write_new_post(settings, NewPost("Midnight story"), now=late)
    assert path.relative_to(settings.docs_dir).as_posix() == "posts/2026/07/01/midnight-story.md"
    assert "date: 2026-07-01 00:30\n" in path.read_text(encoding="utf-8")
    note = write_new_note(settings, "Good morning", now=late)
    assert note.relative_to(settings.docs_dir).as_posix() == "notes/2026-07-01.md"


def test_new_note_writes_todays_note_once(site, capsys):
    assert main(["--config", str(site / "mkdocs.yml"), "new", "--note", "The morning briefing"]) == 0
    day = today(site)
    path = site / "docs" / "notes" / f"{day:%Y-%m-%d}.md"
    assert path.read_text(encoding="utf-8") == "---\ntitle: The morning briefing\n---\n\n"
    capsys.readouterr()
    assert main(["--config", str(site / "mkdocs.yml"), "new", "--note"]) == 1
    assert "already exists; digest new never overwrites a file" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "---\ntitle: The morning briefing\n---\n\n"


def test_new_note_without_a_heading_uses_the_sites_language(site):
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", "language: de"),
                      encoding="utf-8")
    assert new(site, "--note").returncode == 0
    note = next((site / "docs" / "notes").glob("*.md")).read_text(encoding="utf-8")
    assert note == "---\ntitle: Anmerkung der Redaktion\n---\n\n"
