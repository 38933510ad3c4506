"""The site step: posts, their related-article links and their stories -> every file the
site is built from.

``build_site`` is the whole step, output by output; it computes and writes nothing else
(``related.compute_links`` and ``stories.assign_stories`` run before it,
``outputs.write_outputs`` after it, all in ``pipeline.refresh_pages``), so each piece can be
tested, timed and extended on its own.
"""

from __future__ import annotations

from datetime import date as date_type
from pathlib import Path

from digest.config import Settings
from digest.site.appeal import appeal_outputs
from digest.site.budget import Plan
from digest.site.buildconfig import BUILD_CONFIG, build_config
from digest.site.compact import compact_by_month, manifest, month_links, month_pages
from digest.site.feeds import feed_files
from digest.site.fragments import fragment_outputs
from digest.site.listings import categories_of, groups_by_slug, listing_outputs
from digest.site.locale import Site
from digest.site.outputs import Outputs
from digest.site.related import Links
from digest.site.stories import Stories
from digest.site.story_file import dump_assignment
from digest.site.story_pages import StoryView, edition_outputs, top_story_leads
from digest.site.theme import theme_outputs
from digest.site.urls import COMPACT_MANIFEST, FRAGMENTS_DIR
from digest.store.notes import Note
from digest.store.posts import Post

# The folders of docs/ that only the site step writes: a file in them it no longer produces
# is removed. (index.md, archive.md and the site-wide feeds are single files it rewrites.)
OWNED_DIRS = ("days", "categories", "sources", "feeds", "stories", "archive")


def build_site(settings: Settings, posts: list[Post], links: Links, stories: Stories,
               drafts: list[Post] = (), notes: dict[date_type, Note] | None = None,
               plan: Plan | None = None) -> Outputs:
    """Every listing page, story page, feed and article fragment, and the story assignment
    to keep, by the path it is written to.

    ``posts`` are the published ones; ``drafts`` (``draft: true``) only go into the build
    config that keeps their pages out of the build; ``notes`` (editor's notes by day) lead
    their days' digest pages; ``plan`` (``budget.plan_pages``) names the posts published
    compact: left out of the build, listed on their months' archive pages, linked by address.
    """
    compact = plan.compact if plan else frozenset()
    site = Site(settings, plan.by_address if plan else frozenset())
    view = StoryView.of(stories, posts, settings.language)
    docs = settings.docs_dir
    fragments = fragments_root(settings)
    outputs = Outputs(owned_dirs=tuple(docs / name for name in OWNED_DIRS)
                      + ((fragments,) if fragments else ()), root=settings.root)
    outputs.add(settings.root / BUILD_CONFIG,
                build_config(list(drafts), settings.notes_dir, compact,
                             [post.src for post in posts] + [post.src for post in drafts]),
                by="build config")
    months = compact_by_month(site, posts)
    outputs.add(settings.root / COMPACT_MANIFEST, manifest(site, view, months, plan.lines() if plan else (),
                         plan.model_estimate if plan else 0),
                by="compact manifest")
    outputs.add_all(docs, month_pages(site, view, months), by="month archive pages")
    # Committed beside mkdocs.yml, like the state: stories keep their pages from run to run.
    outputs.add(settings.stories, dump_assignment(stories.assignment), by="story assignment")
    outputs.add_all(docs, edition_outputs(site, view, posts, links, notes),
                    by="story listings and pages")
    outputs.add_all(docs, listing_outputs(site, posts, notes, month_links(site, months)),
                    by="listing pages")
    # One feed per category, with the same grouping (by slug) as the category pages.
    by_category = dict(groups_by_slug(posts, categories_of).values())
    outputs.add_all(docs, feed_files(settings, posts, by_category,
                                     top_story_leads(site, view, posts)), by="feeds")
    # Without the theme override there is nothing to include the fragments or read the rules.
    if fragments is not None:
        outputs.add_all(fragments, fragment_outputs(site, posts, links, view), by="article fragments")
        outputs.add_all(fragments, appeal_outputs(site), by="the appeal's script settings")
        outputs.add_all(fragments, theme_outputs(settings), by="the theme's URL rules")
    return outputs


def fragments_root(settings: Settings) -> Path | None:
    return settings.custom_dir / FRAGMENTS_DIR if settings.custom_dir else None
