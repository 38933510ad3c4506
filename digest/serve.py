"""``digest serve``: a local preview that keeps the listing pages in step with the posts.

``mkdocs serve`` rebuilds the site when a file in ``docs/`` changes, but the front page,
the daily digests and the other listings are written by ``digest pages``, which MkDocs knows
nothing of. So this runs MkDocs' own server in this process, and beside it a watcher on
the posts and the editor's notes: when one of them changes (saved, added, moved, deleted),
the site step runs again, and MkDocs, seeing the listing pages change, rebuilds and reloads
the browser. No MkDocs hook is involved, so the site itself stays hook-free.

Unpublished posts (``draft: true``) are previewed here, marked DRAFT by MkDocs: they are in
``draft_docs``, which ``mkdocs build`` leaves out and ``mkdocs serve`` shows.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from digest.config import Settings
from digest.errors import DigestError
from digest.site.buildconfig import BUILD_CONFIG
from digest.site.build import fragments_root

# Saving a file often arrives as several events (write, chmod, an editor's rename dance);
# one refresh for all that arrive within this many seconds.
SETTLE_SECONDS = 0.3


class SourceWatcher(FileSystemEventHandler):
    """Calls ``refresh`` (from its own thread) after a post or note changed."""

    def __init__(self, folders: list[Path], refresh: Callable[[], None]):
        self.folders = [folder.resolve() for folder in folders]
        self.refresh = refresh
        self.changed = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="digest-serve-refresh", daemon=True)

    def is_source(self, path: str, directory: bool) -> bool:
        """A post or note, or (moved or deleted whole) a folder of them; never the pages
        the refresh itself writes elsewhere in docs/, or an editor's hidden swap file."""
        candidate = Path(path)
        inside = any(folder in candidate.parents for folder in self.folders)
        if directory:
            return inside or candidate in self.folders
        return inside and candidate.suffix == ".md" and not candidate.name.startswith(".")

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return      # a file in it changed: that file's own event says which
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if any(self.is_source(str(path), event.is_directory) for path in paths if path):
            self.changed.set()

    def _run(self) -> None:
        while not self.stopped.is_set():
            if not self.changed.wait(timeout=0.5):
                continue
            self.stopped.wait(SETTLE_SECONDS)
            self.changed.clear()
            self.refresh()

    def stop(self) -> None:
        self.stopped.set()
        self.changed.set()


def serve(settings: Settings, config_file: Path, dev_addr: str, refresh_pages: Callable[[], str],
          say: Callable[[str], None] = print) -> None:
    """Write the pages, then serve the site until interrupted (Ctrl-C or SIGTERM)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    say(refresh_pages())

    def refresh() -> None:
        try:
            say(refresh_pages())
        except DigestError as exc:    # another run holds the lock, a clash: say so, keep serving
            for line in str(exc).splitlines():
                say(f"Error: {line}")

    sources = [settings.docs_dir / settings.posts_dir, settings.docs_dir / settings.notes_dir]
    watcher = SourceWatcher(sources, refresh)
    observer = Observer()
    # The notes folder may not exist yet: watch docs/ and keep only posts and notes.
    observer.schedule(watcher, str(settings.docs_dir), recursive=True)
    _log_mkdocs()
    # SIGTERM (a service manager, a test) stops the server like Ctrl-C, so MkDocs removes
    # its temporary site folder.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    observer.start()
    watcher.thread.start()
    extra_watch = [str(settings.root / BUILD_CONFIG)]
    fragments = fragments_root(settings)
    if fragments is not None and fragments.is_dir():
        extra_watch.append(str(fragments))      # see-also and bylines are theme templates
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True,
                     watch=extra_watch)
    finally:
        signal.signal(signal.SIGTERM, previous)
        watcher.stop()
        observer.stop()
        observer.join(timeout=5)
        watcher.thread.join(timeout=5)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _log_mkdocs() -> None:
    """MkDocs' own command line sets up its log output; called as a library it has none."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
