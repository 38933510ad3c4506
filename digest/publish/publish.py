"""``digest publish``: the built site made ready to deploy, whichever engine built it.

Runs after ``mkdocs build`` or ``zensical build``, over ``site/``:

1. removes what an engine copied from the theme folder that is no theme file (Zensical
   publishes ``overrides/hooks/`` as ``site/hooks/``);
2. writes the small pages at the addresses of the articles published compact
   (``digest.publish.stubs``, from the manifest ``digest pages`` wrote);
3. writes the Pagefind search index (``digest.publish.search``), the small pages included;
4. minifies every page (``digest.publish.minify``);
5. splits the sitemap when it lists more than 50,000 URLs or weighs over 5 MiB (``digest.publish.sitemaps``);
6. measures the result against ``site_budget`` and the 5 MiB a file (``digest.publish.size``).

It is our own step, not an MkDocs hook, because Zensical runs no hooks and both engines must
publish the same site.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from digest.config import Settings
from digest.publish.minify import minify_site
from digest.publish.search import SearchReport, build_search_index
from digest.publish.sitemaps import split_sitemaps
from digest.publish.stubs import load_manifest, write_stubs
from digest.publish.size import SiteSize, measure, megabytes
from digest.store import size_record

# Folders of the theme folder that hold no theme files (an engine may copy them).
NOT_PUBLISHED = ("hooks", "digest-generated")


def remove_theme_leftovers(settings: Settings, site_dir: Path) -> None:
    """``site/hooks/`` and the like, when they came from the theme folder, not from docs/."""
    if settings.custom_dir is None:
        return
    for name in NOT_PUBLISHED:
        if (settings.custom_dir / name).exists() and not (settings.docs_dir / name).exists():
            shutil.rmtree(site_dir / name, ignore_errors=True)


@dataclass(frozen=True)
class PublishReport:
    size: SiteSize
    budget: int                  # bytes
    search: SearchReport
    html_before: int
    html_after: int
    sitemaps: int
    compact: int = 0             # small pages written for articles and stories published compact
    plan: tuple[str, ...] = ()   # what digest pages planned (budget.Plan.lines)

    @property
    def over_budget(self) -> bool:
        return self.size.bytes > self.budget

    def lines(self) -> list[str]:
        size = self.size
        share = 100 * size.bytes / self.budget if self.budget else 0
        lines = [f"site: {megabytes(size.bytes)} in {size.files:,} files, {share:.0f}% of the "
                 f"{megabytes(self.budget)} budget (site_budget)",
                 f"search: {self.search.full_pages:,} articles by their text, "
                 f"{self.search.summaries:,} by title and summary; index {megabytes(self.search.index_bytes)}",
                 f"pages minified: {megabytes(self.html_before)} -> {megabytes(self.html_after)}; "
                 f"sitemap files: {self.sitemaps}"]
        lines += [line for line in self.plan if not line.startswith("budget:")]
        if self.compact:
            lines.append(f"small pages at old addresses (articles and stories published "
                         f"compact): {self.compact:,}")
        if self.over_budget:
            lines.append(f"warning: the site is over its budget by "
                         f"{megabytes(size.bytes - self.budget)}: GitHub Pages refuses sites over 1 GB")
        for path, bytes_ in size.too_big:
            lines.append(f"warning: {path} is {bytes_ / 2**20:.1f} MiB, over the 5 MiB a reader should download")
        return lines

    def markdown(self) -> str:
        return "### Published site\n\n" + "\n".join(f"- {line}" for line in self.lines()) + "\n"


def publish(settings: Settings, site_dir: Path) -> PublishReport:
    remove_theme_leftovers(settings, site_dir)
    manifest = load_manifest(settings.root) or {}
    compact = write_stubs(manifest, site_dir)
    search = build_search_index(site_dir, settings.posts_dir, settings.search_full_days,
                                settings.language)
    before, after = minify_site(site_dir)
    sitemaps = split_sitemaps(site_dir, settings.site_url)
    size = measure(site_dir)
    if manifest.get("model_estimate"):
        # The next plan scales the size model by how far off it was tonight.
        size_record.record(settings.root, int(manifest["model_estimate"]), size.bytes)
    return PublishReport(size, int(settings.site_budget * 1_000_000), search,
                         before, after, sitemaps, compact, tuple(manifest.get("plan", ())))
