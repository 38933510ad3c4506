"""The whole run, step by step. Each step is one module; data between them is plain.

``run`` reads top to bottom as the order of a nightly run (ingest, then the store, then the
site); ``refresh_pages`` is the site's part, which ``digest pages`` runs alone. The comments
say why a step must come where it does.
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.ingest.dedupe import dedupe
from digest.ingest.feedlist import FeedSource, read_feed_list
from digest.ingest.fetch import FetchPolicy, FetchResult, Outcome, Validators, fetch_all, user_agent
from digest.store.files import remove_stray_temp_files
from digest.ingest.clean import plain_text
from digest.article import Article
from digest.ingest.normalise import feed_options, normalise_entry
from digest.ingest.parse import NotAFeed, parse_feed
from digest.store.notes import load_notes
from digest.store.post_cache import cache_file
from digest.store.posts import load_posts
from digest.store import size_record
from digest.report import FeedOutcome, RunReport
from digest.site.budget import plan_pages
from digest.site.story_pages import StoryView, story_pages_of
from digest.site.build import build_site
from digest.site.outputs import PagesReport, write_outputs
from digest.site.related import compute_links
from digest.site.stories import assign_stories
from digest.site.story_file import load_assignment
from digest.store.retention import keep_since, retire_old_posts
from digest.store.state import FeedState, State, keep_legacy_ids, load_state, reconcile, save_state
from digest.store.write import write_articles


def run(settings: Settings, feeds_path=None, on_fetched: Callable[[FetchResult], None] = None,
        now: datetime | None = None, start: Callable[[int], None] = lambda total: None) -> RunReport:
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    zone = ZoneInfo(settings.timezone)
    report = RunReport(now=now, failing_days=settings.failing_days)
    # Config problems are fatal and must surface before anything is fetched or written.
    sources = read_feed_list(feeds_path or settings.feeds)
    # A run killed half-way may have left temp files; they are ours and never a post.
    remove_stray_temp_files(settings.docs_dir)
    state = load_state(settings.state)

    start(len(sources))
    results = fetch_feeds(settings, sources, state, on_fetched or (lambda result: None),
                          _file_hash(feeds_path or settings.feeds))
    articles = []
    for result in results:
        articles += ingest_feed(result, state, report, now, settings)
    # Posts on disk are read after fetching so an editor's move or hand-written post,
    # found by its id, is never duplicated by a new file.
    posts, problems = load_posts(settings.docs_dir, settings.posts_dir, zone, cache_file(settings.root))
    report.notes += [str(problem) for problem in problems]
    ids_on_disk = {post.id: post.src for post in posts}
    # Posts written before ids were scoped by feed (state version 3) keep their ids.
    articles = keep_legacy_ids(articles, posts, state)
    # One post per story: deduped after reading the posts, so a story already on disk under
    # another id (its link from a second feed) is not written again.
    unique = dedupe(articles, known_links={post.link: post.id for post in posts if post.link},
                    known_posts=posts)
    report.duplicates = len(articles) - len(unique)
    # Moved posts are followed and unrecorded ones adopted (state lost or a killed run)
    # before writing, so neither is written a second time; the state is saved before the
    # first post is written, so a run killed while writing is not taken for a lost state.
    report.notes += reconcile(state, posts, unique)
    save_state(state, settings.state)
    since = keep_since(now, settings.keep_days)
    written = write_articles(unique, state, settings.docs_dir, settings.posts_dir, zone, ids_on_disk,
                             keep_since=since)
    report.new_posts, report.updated_posts = written.new, written.updated
    report.skipped_edited, report.skipped_deleted = written.skipped_edited, written.skipped_deleted
    if since is not None:
        retired = retire_old_posts(state, posts, settings.docs_dir, settings.posts_dir, since)
        if retired:
            report.notes.append(f"keep_days: removed {len(retired)} generated posts older than "
                                f"{settings.keep_days} days (their ids stay seen)")
    # A feed's new ETag and Last-Modified are recorded only now, with the posts they cover:
    # saved before them, a run killed while writing would get 304 next time and the posts
    # it had not written yet would never appear.
    record_validators(state, results, report)
    # Posts are written without an fsync each (a kill needs none; one cost ~4 ms here); one
    # sync before the state is saved keeps a power cut from leaving the state ahead of them.
    if written.new or written.updated:
        os.sync()
    save_state(state, settings.state)

    # The site comes last: it lists what is on disk now, editors' posts included.
    pages = refresh_pages(settings)
    report.pages_written, report.budget = pages.written, pages.budget
    return report


def refresh_pages(settings: Settings) -> PagesReport:
    """The site step: listing pages, the digest's feeds and the article fragments."""
    # Read again from disk, not taken from the fetch: the site shows every post there,
    # hand-written and edited ones included, as they are now.
    posts, _ = load_posts(settings.docs_dir, settings.posts_dir, ZoneInfo(settings.timezone),
                          cache_file(settings.root))
    # An unpublished post (draft: true) is on no page, feed, fragment or sitemap and no
    # other post links to it; the build config keeps its own page out of the build.
    drafts = [post for post in posts if post.draft]
    posts = [post for post in posts if not post.draft]
    # Related articles compare every post with every other, so they need all posts first;
    # the see-also fragments are built from these links.
    links = compute_links(posts, settings.see_also, settings.min_similarity)
    # Stories grow from the assignment kept by the last run (so they keep their pages);
    # tonight's posts join them or start new ones. A broken file starts over, and says so.
    kept, problem = load_assignment(settings.stories)
    if problem:
        print(f"warning: {problem}", file=sys.stderr)
    stories = assign_stories(posts, kept)
    # Every output is computed before any is written: a clash (two outputs at one path)
    # stops the step with nothing half-updated.
    # Editor's notes lead their days' digests; they are not posts.
    notes, _ = load_notes(settings.docs_dir, settings.notes_dir)
    # Which older automatic posts are published compact, so the site keeps to site_budget.
    # Its model is corrected by what the last published site really weighed against it.
    plan = plan_pages(settings, posts, story_pages_of(StoryView.of(stories, posts, settings.language)),
                      correction=size_record.correction(settings.root))
    outputs = build_site(settings, posts, links, stories, drafts, notes, plan)
    # Written last, only files whose text changed; stale ones in the site's folders go.
    report = write_outputs(outputs)
    report.budget = plan.lines()
    return report


def fetch_feeds(settings: Settings, sources: list[FeedSource], state: State,
                on_fetched: Callable[[FetchResult], None], feed_list_hash: str = "") -> list[FetchResult]:
    """Fetch with last time's validators; a feed that answered 410 waits for a feed list edit."""
    known = {url: Validators(feed.etag, feed.last_modified) for url, feed in state.feeds.items()}
    gone = {url: f"gone (HTTP 410 since {(feed.first_failure or '?')[:10]}): skipped until "
                 "feeds.txt is edited" for url, feed in state.feeds.items()
            if feed.gone and feed.gone == feed_list_hash}
    results = fetch_all(sources, fetch_policy(settings), known, gone, on_fetched)
    for result in results:
        if result.status == 410:
            state.feeds.setdefault(result.source.url, FeedState()).gone = feed_list_hash
    return results


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        user_agent=user_agent(settings.site_url, settings.user_agent), timeout=settings.timeout,
        concurrency=settings.concurrency, per_host=settings.per_host, retries=settings.retries,
        deadline=settings.fetch_deadline)


def _file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def record_validators(state: State, results: list[FetchResult], report: RunReport) -> None:
    """Each feed's validators, for the feeds whose entries this run read (not one that
    answered but could not be parsed: its entries were not read)."""
    read = {outcome.url for outcome in report.feeds if outcome.outcome is Outcome.FETCHED}
    for result in results:
        if result.outcome is Outcome.FETCHED and result.source.url in read:
            health = state.feeds.setdefault(result.source.url, FeedState())
            health.etag = result.validators.etag
            health.last_modified = result.validators.last_modified


def ingest_feed(result: FetchResult, state: State, report: RunReport, now: datetime,
                settings: Settings) -> list[Article]:
    """Parse and normalise one feed's entries; a broken feed or entry is reported, not raised."""
    source = result.source
    outcome = FeedOutcome(source.url, source.name or source.url, result.outcome, error=result.error)
    report.feeds.append(outcome)
    health = state.feeds.setdefault(source.url, FeedState())
    if result.outcome is Outcome.NOT_MODIFIED:
        return []
    articles = []
    if result.outcome is Outcome.FETCHED:
        try:
            feed = parse_feed(result.body, result.headers, source.url)
        except NotAFeed as exc:
            outcome.outcome, outcome.error = Outcome.FAILED, str(exc)
        else:
            if feed.warning:
                outcome.warnings.append(f"ill-formed feed, read what could be read: {feed.warning}")
            outcome.name = source.name or plain_text(feed.title, 120) or source.url
            options = feed_options(source, settings)
            for number, entry in enumerate(feed.entries, start=1):
                try:
                    article = normalise_entry(entry, feed, source, now, options)
                except Exception as exc:  # one bad entry must not cost the feed's other entries
                    outcome.warnings.append(f"entry {number} skipped: {type(exc).__name__}: {exc}")
                    continue
                outcome.warnings += [f"entry {number}: {warning}" for warning in article.warnings]
                articles.append(article)
            outcome.entries = len(articles)
    _record_health(health, result, outcome, now)
    return articles


def _record_health(health: FeedState, result: FetchResult, outcome: FeedOutcome, now: datetime) -> None:
    outcome.moved_to = result.moved_to
    if outcome.outcome is Outcome.FAILED:
        health.failures += 1
        health.last_error = outcome.error
        health.first_failure = health.first_failure or now.isoformat()
    if outcome.outcome.gave_nothing:   # a skipped gone feed: nothing new to record
        outcome.failing_since, outcome.failures = health.first_failure, health.failures
        return
    # Only the start of a healthy streak is recorded: stamping every success would change
    # the state file every night and make the nightly job commit when nothing is new.
    if health.failures or not health.last_success:
        health.last_success = now.isoformat()
    health.failures, health.last_error, health.first_failure, health.gone = 0, None, None, None
