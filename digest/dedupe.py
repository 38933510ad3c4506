"""Stage 6: one post per story. Same id or same canonical link, within a run or across runs."""

from __future__ import annotations

from typing import Iterable

from digest.normalise import Article


def dedupe(articles: Iterable[Article]) -> list[Article]:
    """Keep the first article of each id and of each link (feeds are read in feeds.txt order)."""
    seen_ids, seen_links, kept = set(), set(), []
    for article in articles:
        if article.id in seen_ids or (article.link and article.link in seen_links):
            continue
        seen_ids.add(article.id)
        if article.link:
            seen_links.add(article.link)
        kept.append(article)
    return kept
