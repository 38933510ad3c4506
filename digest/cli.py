"""The command line: a thin layer that turns arguments into a pipeline call and a report.

Exit codes: 0 done (some feeds may have failed: see the report), 1 bad input (one
``Error:`` line per problem naming the file and line or key), 3 there were feeds but none
at all could be fetched; with ``--strict``, any failing feed exits 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digest.config import load_settings
from digest.errors import DigestError
from digest.store.lock import site_lock

EXIT_OK, EXIT_ERROR, EXIT_NOTHING_FETCHED = 0, 1, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Feeds in, a news-digest site out.")
    parser.add_argument("--config", "-f", default="mkdocs.yml", type=Path,
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="fetch the feeds, write new posts and the pages")
    fetch.add_argument("--feeds", type=Path, help="the feed list (default: extra.digest.feeds)")
    fetch.add_argument("--strict", action="store_true", help="exit 1 if any feed failed")
    fetch.add_argument("--summary", type=Path,
                       help="append a Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)")
    commands.add_parser("pages", help="rewrite the listing pages, see-also and feed from the posts")
    commands.add_parser("check", help="validate posts, feeds.txt and the digest settings")
    serve = commands.add_parser("serve", help="preview the site on this machine, rewriting the "
                                "listing pages whenever a post or note changes")
    serve.add_argument("--dev-addr", "-a", default="127.0.0.1:8000", metavar="IP:PORT",
                       help="where to serve it (default: 127.0.0.1:8000)")
    new = commands.add_parser("new", help="write a new hand-written post at today's path "
                              "(--note: today's editor's note); never overwrites a file")
    new.add_argument("title", nargs="?", default="",
                     help="the post's title (with --note: the note's heading)")
    new.add_argument("--note", action="store_true",
                     help=f"write today's editor's note, docs/<notes_dir>/YYYY-MM-DD.md")
    new.add_argument("--category", "-c", action="append", default=[], metavar="NAME",
                     help="a category for the post (repeat for more)")
    new.add_argument("--author", default="", help="the post's author")
    new.add_argument("--draft", action="store_true",
                     help="start it unpublished (draft: true): delete that line to publish")
    publish = commands.add_parser("publish", help="after the build: search index, minified pages, "
                                  "sitemaps, the site's size against site_budget")
    publish.add_argument("--site-dir", type=Path, help="the built site (default: mkdocs.yml's site_dir)")
    publish.add_argument("--summary", type=Path, help="append a Markdown report to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":       # reports bad settings itself, with their lines
        return run_check(args.config)
    try:
        settings = load_settings(args.config)
        if args.command in ("fetch", "pages"):
            # One writer at a time: a second run stops here with an Error: line.
            with site_lock(settings.root, settings.docs_dir):
                return run_fetch(settings, args) if args.command == "fetch" else run_pages(settings)
        if args.command == "new":
            return run_new(settings, args)
        if args.command == "serve":
            return run_serve(settings, args)
        if args.command == "publish":
            return run_publish(settings, args)
    except DigestError as exc:
        for line in str(exc).splitlines():
            print(f"Error: {line}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_ERROR


def run_fetch(settings, args) -> int:
    from digest.pipeline import run
    from digest.progress import Progress

    with Progress(label="feeds") as progress:
        report = run(settings, feeds_path=args.feeds, on_fetched=progress.advance,
                     start=progress.start)
    for line in report.lines():
        print(line)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(report.markdown() + "\n")
    if report.nothing_fetched:
        print("Error: no feed at all could be fetched", file=sys.stderr)
        return EXIT_NOTHING_FETCHED
    if args.strict and report.failed:
        return EXIT_ERROR
    return EXIT_OK


def run_pages(settings) -> int:
    from digest.pipeline import refresh_pages

    pages = refresh_pages(settings)
    print(f"pages: {pages.written} written, {pages.unchanged} unchanged, {pages.removed} removed")
    for line in pages.budget:
        print(line)
    return EXIT_OK


def run_serve(settings, args) -> int:
    from digest.pipeline import refresh_pages
    from digest.serve import serve

    def refresh() -> str:
        # Only while writing: a digest fetch may run while the preview is open.
        with site_lock(settings.root, settings.docs_dir):
            pages = refresh_pages(settings)
        return f"pages: {pages.written} written, {pages.unchanged} unchanged, {pages.removed} removed"

    serve(settings, args.config.resolve(), args.dev_addr, refresh)
    return EXIT_OK


def run_new(settings, args) -> int:
    from digest.site.labels import label
    from digest.store.newpost import NewPost, write_new_note, write_new_post

    if args.note:
        heading = args.title or label(settings.language, "editors_note")
        path = write_new_note(settings, heading)
    else:
        path = write_new_post(settings, NewPost(args.title, tuple(args.category), args.author,
                                                args.draft))
    # Only the path on stdout, so that `$EDITOR "$(digest new "Title")"` opens it.
    print(os.path.relpath(path))
    return EXIT_OK


def run_publish(settings, args) -> int:
    from digest.publish.publish import publish

    site_dir = (args.site_dir or settings.site_dir).resolve()
    if not (site_dir / "index.html").is_file():
        raise DigestError(f"{site_dir}: no built site here (run mkdocs build or zensical build first)")
    report = publish(settings, site_dir)
    for line in report.lines():
        print(line)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(report.markdown() + "\n")
    return EXIT_OK


def run_check(config: Path) -> int:
    """Compiler-style lines ("FILE:LINE: message", warnings marked), then a count."""
    from digest.check import annotation, check_site

    problems = check_site(config)
    errors = [problem for problem in problems if problem.fatal]
    on_github = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        mark = "" if problem.fatal else "warning: "
        print(f"{problem.where}: {mark}{problem.message}", file=sys.stderr)
        if on_github:     # also shown on the file and line in the pull request
            print(annotation(problem))
    print(f"check: {len(errors)} errors, {len(problems) - len(errors)} warnings")
    return EXIT_ERROR if errors else EXIT_OK
