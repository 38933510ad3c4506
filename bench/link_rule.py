"""What the link rule changes over the real feeds of ../shared/corpus/real.

For every entry of every real feed it compares the "Read the original" link of the old rule
(``links.legacy_canonical_link`` of the entry's link: the query decoded and re-encoded, the
host lower-cased, the fragment dropped, utm_ and a few click ids removed) with today's
(``normalise.entry_link``), and prints from one run how many links changed and why, and how
many still go through a dead redirector or carry a tracking parameter before and after.

    .venv/bin/python bench/link_rule.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from digest.ingest.feedlist import FeedSource
from digest.ingest.links import is_dead_redirector, is_tracking_param, legacy_canonical_link
from digest.ingest.normalise import entry_link
from digest.ingest.parse import NotAFeed, parse_feed

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real"


def tracking_params(url: str) -> int:
    parts = urlsplit(url)
    return sum(1 for name, _ in parse_qsl(parts.query, keep_blank_values=True)
               if is_tracking_param(name, url))


def main() -> None:
    if not CORPUS.is_dir():
        print("../shared/corpus/real is not present: nothing to measure")
        return
    counts: Counter = Counter()
    for path in sorted(CORPUS.rglob("*")):
        if not path.is_file():
            continue
        url = f"https://{path.stem}.example/feed"
        try:
            # As fetch passes it: relative links resolve against where the feed was.
            feed = parse_feed(path.read_bytes(), {"content-location": url}, url)
        except NotAFeed:
            continue
        counts["feeds"] += 1
        source = FeedSource(url, None, f"{path.name}:1")
        for entry in feed.entries:
            old = legacy_canonical_link(entry.get("link"))
            new, _, notes, _ = entry_link(entry, feed, source)
            counts["entries"] += 1
            counts["dead redirector, before"] += is_dead_redirector(old)
            counts["dead redirector, after"] += is_dead_redirector(new)
            counts["tracking parameters left, before"] += bool(old and tracking_params(old))
            counts["tracking parameters left, after"] += bool(new and tracking_params(new))
            if old == new:
                continue
            counts["links changed"] += 1
            reason = " ".join(notes)
            if "origLink" in reason:
                counts["  feedburner origLink instead of the redirector"] += 1
            elif "GUID" in reason:
                counts["  permalink GUID instead of a dead redirector"] += 1
            elif "own permalink" in reason:
                counts["  link blog: the entry's own permalink"] += 1
            elif urlsplit(new).netloc.lower() != urlsplit(old).netloc.lower():
                counts["  redirector unwrapped"] += 1
            elif tracking_params(old) or len(new) < len(old.rstrip("=")):
                counts["  tracking parameters removed (ClearURLs and our list)"] += 1
            else:
                counts["  kept as published (the old rule re-encoded it)"] += 1
    width = max(len(key) for key in counts)
    for key in ("feeds", "entries", "links changed"):
        print(f"{key:<{width}}  {counts.pop(key, 0):>6,}")
    for key in sorted(key for key in counts if key.startswith("  ")):
        print(f"{key:<{width}}  {counts.pop(key):>6,}")
    for key, value in counts.items():
        print(f"{key:<{width}}  {value:>6,}")


if __name__ == "__main__":
    main()
