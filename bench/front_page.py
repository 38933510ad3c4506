"""How big is the front page at the size of the repo's own feeds: 400 articles a night?

Usage: .venv/bin/python bench/front_page.py [--per-day 400] [--days 3]

Writes ``--days`` nights of ``--per-day`` articles (bench/site_build.py's synthetic articles:
front matter as ``digest fetch`` writes it, summaries and some full texts, topic words shared
so that some articles form stories) into a scratch copy of the site, runs ``digest pages`` and
``mkdocs build --strict``, and prints the front page's HTML size, its top stories and the
stories and articles of the edition it lists. Target (issue 13): under 150 KB at 400 a night.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import site_build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=400)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args(argv)
    site_build.PER_DAY = args.per_day
    with tempfile.TemporaryDirectory() as workdir:
        site = site_build.scratch_site(Path(workdir) / "site")
        site_build.write_articles(site / "docs", args.per_day * args.days)
        for command in (["digest", "pages"], ["mkdocs", "build", "--strict", "--quiet"]):
            subprocess.run([str(site_build.BIN / command[0])] + command[1:], cwd=site, check=True,
                           capture_output=True)
        html = (site / "site" / "index.html").read_text(encoding="utf-8")
        markdown = (site / "docs" / "index.md").read_text(encoding="utf-8")
        top = markdown.count('class="digest-story digest-top-story"')
        lines = markdown.count('<p class="digest-story" markdown>')
        links = len(re.findall(r"\]\(posts/", markdown))
        stories = len(list((site / "docs" / "stories").glob("*.md")))
        print(f"{args.days} nights of {args.per_day} articles: front page {len(html.encode()) / 1000:.1f} KB "
              f"of HTML; {top} top stories and {lines} more stories in one line each, "
              f"{links} links to articles; {stories} story pages in the whole site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
