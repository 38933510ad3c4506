"""Helpers shared by the tests of the site step (``digest pages``) over tests/data/pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import jinja2
import yaml

from digest.config import load_settings
from digest.pipeline import refresh_pages
from digest.site.urls import FRAGMENTS_DIR, fragments_file, page_url
from digest.store.posts import Post
from tests.conftest import DATA

PAGES_POSTS = DATA / "pages" / "posts"
FRAGMENT_PARTS = {"byline": 0, "original": 1, "see-also": 2}


def configure(site: Path, language: str = "en", **digest) -> None:
    """Set theme.language and extra.digest options in the scratch site's mkdocs.yml."""
    path = site / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["theme"]["language"] = language
    config["extra"]["digest"].update(digest)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build_pages(site: Path):
    """``digest pages`` in the scratch site, as the command runs it."""
    return refresh_pages(load_settings(site / "mkdocs.yml"))


def read_doc(site: Path, src: str) -> str:
    return (site / "docs" / src).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def fragment(site: Path, src: str, part: str | None = None) -> str:
    """An article's fragment as the theme renders it: one part, or all three."""
    url = page_url(src)
    path = site / "overrides" / FRAGMENTS_DIR / fragments_file(url, "posts")
    template = jinja2.Template(path.read_text(encoding="utf-8"))
    parts = [part] if part else list(FRAGMENT_PARTS)
    return "\n".join(template.render(page={"url": url}, digest_part=FRAGMENT_PARTS[name])
                     for name in parts)


def make_post(name: str, title: str, text: str, date: datetime, source: str = "Wire",
              **extra) -> Post:
    """A generated post at ``posts/<name>.md``, as ``load_posts`` would read it."""
    values = dict(src=f"posts/{name}.md", id=name, title=title, date=date, source=source,
                  link=f"https://example.org/{name}", author="", categories=(), summary="",
                  text=text, see_also=None, support=True, generated=True)
    values.update(extra)
    return Post(**values)
