"""``digest check``: everything an editor or CI should know before building the site.

Every problem names its file and line, like a compiler's (``docs/posts/x.md:3: date: not a
date: "yesterday"``), so an editor can jump to it. Errors make the command fail; warnings are
printed and do not. Three things are checked, each collecting all its problems:
- ``mkdocs.yml``: our settings under ``extra: digest:`` and the site settings they rely on;
- ``feeds.txt``;
- every post's front matter: required keys, the date, categories the configuration allows,
  ``see_also`` targets that exist, ``story:`` a slug or false, no id used twice.
"""

from __future__ import annotations

from pathlib import Path

from digest.checks.posts import check_notes, check_posts
from digest.checks.settings import check_feed_list, check_settings, config_problem
from digest.config import load_settings
from digest.errors import ConfigError
from digest.store.posts import PostProblem


def check_site(config_file: Path | str = "mkdocs.yml") -> list[PostProblem]:
    """Every problem found, errors and warnings, in the order: settings, feeds.txt, posts."""
    path = Path(config_file).resolve()
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        # Nothing else can be checked without valid settings (where are the posts?).
        return [config_problem(line, path) for line in str(exc).splitlines()]
    problems = check_settings(settings, path)
    problems += check_feed_list(settings)
    problems += check_posts(settings)
    problems += check_notes(settings)
    return problems


def annotation(problem: PostProblem) -> str:
    """The problem as a GitHub Actions workflow command, shown on the file in a pull request."""
    file, _, line = problem.where.rpartition(":")
    if not line.isdigit():
        file, line = problem.where, ""
    place = f"file={file}" + (f",line={line}" if line else "")
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{'error' if problem.fatal else 'warning'} {place}::{message}"
