"""Stage 6: one post per story.

Two rules, in this order:

1. **Same story, same address.** An article whose id (GUID) or link was already seen,
   earlier in this run (another feed, or the same feed twice) or in a post on disk, is
   dropped. Links are compared by ``links.story_key`` (scheme, host case, query encoding
   and tracking parameters do not count; a route fragment such as ``#!/story/42`` does).
   Feeds are read in ``feeds.txt`` order, so the first listed feed wins.
2. **Same story, several sources.** A publisher's story republished by others (wire copy,
   syndication) arrives with a slightly different title and text. Two articles from
   *different* sources published within ``WINDOW`` of each other are the same story when

   - their titles are near-identical: the Jaccard similarity of their title word sets is at
     least ``TITLE_THRESHOLD`` (0.6), **and**
   - their texts are near-identical: of the word 3-shingles (every run of three consecutive
     words) of the *shorter* text, at least ``TEXT_THRESHOLD`` (0.5) also occur in the other
     (containment, not Jaccard, so a 120-word summary still matches the full text it was cut
     from); when one of them has fewer than ``MIN_SHINGLES`` shingles (a title-only entry), the
     titles alone decide, with the stricter ``TITLE_ONLY_THRESHOLD`` (0.85), and only titles
     of at least ``MIN_TITLE_WORDS`` (4) words count: "Episode", "Untitled" or "Live blog"
     from two feeds are not one story.

   Words are lower-cased, accents kept, punctuation dropped. Shingles make the text rule
   sensitive to wording, not topic: two different stories on the same topic share many
   words (names, places) but few three-word runs, so they stay two posts. The first article
   (in feed order) keeps the post and lists the others under ``also_reported_by``.
3. **Same story, already published.** A new article that is the same story (rule 2) as a post
   already on disk from another source, within ``WINDOW``, is dropped: the story has its post.
   (That post is not rewritten to name the new source: ``write`` never touches an existing
   post for another article, and an editor may have changed it.)

Candidate pairs come from an index of title words, so the cost stays near-linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Iterable

from digest.article import Article
from digest.ingest.links import story_key
from digest.stopwords import any_latin_language

TITLE_THRESHOLD = 0.6
TEXT_THRESHOLD = 0.5
TITLE_ONLY_THRESHOLD = 0.85
MIN_SHINGLES = 8
MIN_TITLE_WORDS = 4
WINDOW = timedelta(days=3)
MAX_POSTING = 200           # a title word shared by more articles than this says nothing
MAX_ALSO = 10
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Fingerprint:
    title_words: frozenset[str]
    shingles: frozenset[int]


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def fingerprint(article) -> Fingerprint:
    """Of an ``Article``, or of a ``posts.Post`` on disk (its Markdown body is its text)."""
    # Stop words are too common to say two titles are about the same thing; a title's
    # language is not known here, so those of every language we read are dropped.
    title = frozenset(words(article.title)) - any_latin_language()
    text = words(article.text or article.summary)
    shingles = frozenset(hash((text[i], text[i + 1], text[i + 2])) for i in range(len(text) - 2))
    return Fingerprint(title, shingles)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def containment(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """The similarity rule described in the module docstring."""
    title = jaccard(a.title_words, b.title_words)
    if title < TITLE_THRESHOLD:
        return False
    if len(a.shingles) < MIN_SHINGLES or len(b.shingles) < MIN_SHINGLES:
        short_title = min(len(a.title_words), len(b.title_words)) < MIN_TITLE_WORDS
        return title >= TITLE_ONLY_THRESHOLD and not short_title
    return containment(a.shingles, b.shingles) >= TEXT_THRESHOLD


def dedupe(articles: Iterable[Article], known_links: dict[str, str] | None = None,
           known_posts: Iterable = ()) -> list[Article]:
    """One article per story.

    ``known_links`` maps the link of each post on disk to its id; ``known_posts`` are the
    posts on disk (``posts.Post``) that rule 3 compares new articles with.
    """
    merged = merge_republished(drop_same_address(articles, known_links or {}))
    return drop_already_published(merged, list(known_posts))


def drop_same_address(articles: Iterable[Article], known_links: dict[str, str] | None = None) -> list[Article]:
    """Rule 1. ``known_links`` maps the links of posts on disk to their ids. A post on disk
    with the same link but *another* id is the same story; the same id is not a duplicate
    but an update of that post, which ``write`` decides about."""
    known = {story_key(link): post_id for link, post_id in (known_links or {}).items() if link}
    seen_ids, seen_links, kept = set(), set(), []
    for article in articles:
        key = story_key(article.link)
        if article.id in seen_ids or (key and key in seen_links):
            continue
        if key and known.get(key, article.id) != article.id:
            continue
        seen_ids.add(article.id)
        if key:
            seen_links.add(key)
        kept.append(article)
    return kept


def merge_republished(articles: list[Article]) -> list[Article]:
    prints = [fingerprint(article) for article in articles]
    index: dict[str, list[int]] = {}
    for number, print_ in enumerate(prints):
        for word in print_.title_words:
            index.setdefault(word, []).append(number)
    merged_into: dict[int, int] = {}
    also: dict[int, list[int]] = {}
    for number, article in enumerate(articles):
        if number in merged_into:
            continue
        for other in sorted(_candidates(number, prints[number], index)):
            if other <= number or other in merged_into:
                continue
            candidate = articles[other]
            if candidate.source == article.source or abs(candidate.date - article.date) > WINDOW:
                continue
            if same_story(prints[number], prints[other]):
                merged_into[other] = number
                also.setdefault(number, []).append(other)
    result = []
    for number, article in enumerate(articles):
        if number in merged_into:
            continue
        others = [articles[other] for other in also.get(number, ())]
        if others:
            article = replace(article, also_reported_by=_also(article, others))
        result.append(article)
    return result


def drop_already_published(articles: list[Article], posts: list) -> list[Article]:
    """Rule 3. Articles that are updates of a post (same id) are never compared."""
    if not posts or not articles:
        return articles
    ids = {post.id for post in posts}
    newest = max(article.date for article in articles)
    oldest = min(article.date for article in articles)
    recent = [post for post in posts if oldest - WINDOW <= post.date <= newest + WINDOW]
    prints = [fingerprint(post) for post in recent]
    index: dict[str, list[int]] = {}
    for number, print_ in enumerate(prints):
        for word in print_.title_words:
            index.setdefault(word, []).append(number)
    kept = []
    for article in articles:
        if article.id not in ids and _published_before(article, recent, prints, index):
            continue
        kept.append(article)
    return kept


def _published_before(article: Article, posts: list, prints: list[Fingerprint],
                      index: dict[str, list[int]]) -> bool:
    mine = fingerprint(article)
    for number in _candidates(-1, mine, index):
        post = posts[number]
        if post.source == article.source or abs(post.date - article.date) > WINDOW:
            continue
        if same_story(mine, prints[number]):
            return True
    return False


def _candidates(number: int, print_: Fingerprint, index: dict[str, list[int]]) -> set[int]:
    found = set()
    for word in print_.title_words:
        posting = index.get(word, ())
        if len(posting) <= MAX_POSTING:
            found.update(posting)
    found.discard(number)
    return found


def _also(article: Article, others: list[Article]) -> tuple[tuple[str, str], ...]:
    seen, pairs = {article.source}, list(article.also_reported_by)
    for other in others:
        if other.source not in seen:
            seen.add(other.source)
            pairs.append((other.source, other.link))
    return tuple(pairs[:MAX_ALSO])
