"""Stories: which posts tell one news development. A pure function of the posts and the
assignment kept from the last run (digest/site/story_file.py keeps it).

What a story is
    The coverage of one development by one or more sources, possibly over days: a strike
    called, then talks, then a deal. Every post is in exactly one story; a story of one is
    normal. A story spans at most ``STORY_DAYS`` from its first article, and a post joins it
    only next to one of its articles: at most ``GAP_DAYS`` apart.

Stable as it grows (online assignment)
    A post that had a story keeps it: the previous assignment is the first input, not a hint.
    Only posts without one (tonight's) are placed, oldest first, each joining the story of its
    most similar earlier article or starting a new one, as streaming news clustering does. So
    a rerun over the same posts changes nothing, and a new night moves an older post only
    when two stories merge, which needs strong evidence: a new article at least
    ``MERGE_SCORE`` similar to articles of both. The younger story then joins the older, whose
    slug (the story page's address) stays; the merged slug is remembered so that a link to
    it can still be followed. bench/stories_eval.py and bench/stories_scale.py measure it.

Similar (within a language)
    The TF-IDF vectors of related articles (digest/site/terms.py: title counted three
    times, stemmed per language, CJK character pairs, a source's boilerplate left out), read
    over a shorter lead, since a story is told in its first lines. A post joins a story when
    one of its articles, in the same language, is at least ``JOIN_SCORE`` similar, or two are
    at least ``SUPPORT_SCORE`` (a development told with new words, backed twice).

Across languages, only when near-certain
    Different languages share few words, but reports of one event share its names, places
    and numbers: "Veldhaven", "Marisca", "2,6 Milliarden" / "2.6 billion". A post that no
    story of its language takes joins a story one of whose articles, at most ``CROSS_DAYS``
    apart, shares at least ``CROSS_NAMES`` names (capitalised words past a sentence's first,
    compared by their first ``NAME_PREFIX`` letters so that Hungarian "Veldhavenben" meets
    "Veldhaven") and at least one number with it (or one name and two numbers, or three names
    within ``SAME_EVENT_HOURS``: the evening's reports of one final), in any language; names
    and numbers that many posts share are no evidence and are ignored. A post that joined its own language's
    story and has that evidence for a story with no report in its language merges the two
    (the same event, told first in two languages). Shared names also add ``NAME_WEIGHT``
    each to the similarity within a language, except in German, whose nouns are capitalised.

Editors decide first
    ``story: <slug>`` in a post's front matter puts it into that story (a new one if no story
    has that slug yet); ``story: false`` keeps it out of any: it is a story of its own that
    nothing joins. A story with a post an editor put there is never merged away.

Scale
    Only the posts to place and those within ``STORY_DAYS`` of them are read and vectorised,
    so a night's run costs the same in year one and year five; candidates come from the
    inverted index of related.py's query terms, computed in blocks of rows against the posts
    of their time window only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from slugify import slugify

from digest.site.story_evidence import (GAP_DAYS, LEAD_WORDS, Lead, affinity, by_row, entity_matrix,
                                        entity_pairs, language_of, read_posts, shared, similar_pairs)
from digest.store.posts import Post

STORY_DAYS = 14         # a story spans at most two weeks from its first article
JOIN_SCORE = 0.35
SUPPORT_SCORE = 0.25    # two articles this similar are as good as one at JOIN_SCORE
MERGE_SCORE = 0.45
NOUN_CAPITALS = ("german",)     # languages that capitalise nouns, not only names
LEAD_CHARS = LEAD_WORDS * 12    # enough text for the lead; long bodies are not split whole
SLUG_LENGTH = 60


@dataclass(frozen=True)
class Story:
    slug: str                           # its page's name; "" for a story of one that has none
    members: tuple[str, ...]            # post paths (src), oldest first


@dataclass(frozen=True)
class Assignment:
    """What is kept between runs: each post's story by the post's id, and where the slugs of
    merged stories went."""
    story_of: dict[str, str] = field(default_factory=dict)     # post id -> slug ("": alone)
    merged: dict[str, str] = field(default_factory=dict)       # old slug -> slug it joined


@dataclass(frozen=True)
class Stories:
    stories: dict[str, Story]           # key (the slug, or ALONE + post path) -> story
    story_of: dict[str, str]            # post src -> key
    assignment: Assignment              # what to keep for the next run
    moved: int = 0                      # posts that had a story and now have another one

    def story(self, src: str) -> Story:
        return self.stories[self.story_of[src]]


# --- Slugs ---------------------------------------------------------------------------------

def new_slug(title: str, taken: set[str]) -> str:
    """A story's address from its first headline; never one that is or was in use."""
    base = slugify(title, max_length=SLUG_LENGTH, word_boundary=True) or "story"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def resolve(slug: str, merged: dict[str, str]) -> str:
    """Where a slug's story is now, following merges (a cycle ends where it started)."""
    seen = {slug}
    while slug in merged and merged[slug] not in seen:
        slug = merged[slug]
        seen.add(slug)
    return slug


# --- Assignment ----------------------------------------------------------------------------

ALONE = "alone:"    # the key of a story of one that never had a page: "alone:" + its path


def alone(key: str) -> bool:
    return key.startswith(ALONE)


class _Placer:
    """The online assignment: state while tonight's posts are placed one by one.

    Stories are keyed by slug; a story of one that never had a page has no slug yet (slugify
    costs more than the rest of placing a post) but the key ``ALONE`` + its post's path, and
    is given its slug, from its headline, when a second report joins it.
    """

    def __init__(self, posts: list[Post], slug_of: dict[int, str], merged: dict[str, str],
                 pinned: set[str], closed: set[str], taken: set[str]):
        self.posts, self.slug_of, self.merged = posts, slug_of, merged
        self.pinned, self.closed, self.taken = pinned, closed, taken
        self.named: dict[str, str] = {}        # ALONE key -> the slug it was given
        self.members: dict[str, list[int]] = defaultdict(list)
        self.languages: dict[int, str] = {}
        for row, slug in slug_of.items():
            self.members[slug].append(row)
        self.first = {slug: min(posts[row].date for row in rows) for slug, rows in self.members.items()}

    def open_story(self, slug: str, when) -> bool:
        return (slug not in self.closed
                and when - self.first.get(slug, when) <= timedelta(days=STORY_DAYS))

    def place(self, row: int, similar: list[tuple[int, float]], cross: list[tuple[int, float]]) -> None:
        when = self.posts[row].date
        best: dict[str, list[float]] = defaultdict(list)
        for other, score in similar:
            slug = self.slug_of.get(other)
            if slug is not None and self.open_story(slug, when):
                best[slug].append(score)
        joinable = {slug: max(scores) for slug, scores in best.items()
                    if max(scores) >= JOIN_SCORE
                    or sum(score >= SUPPORT_SCORE for score in scores) >= 2}
        if joinable:
            slug = min(joinable, key=lambda s: (-joinable[s], self.first[s], s))
        else:
            names: dict[str, float] = defaultdict(float)
            for other, count in cross:
                other_slug = self.slug_of.get(other)
                if other_slug is not None and self.open_story(other_slug, when):
                    names[other_slug] = max(names[other_slug], count)
            slug = (min(names, key=lambda s: (-names[s], self.first[s], s)) if names
                    else ALONE + self.posts[row].src)
        self.add(row, slug)
        slug = self.slug_of[row]
        for other_slug, scores in sorted(best.items()):
            other_slug = self.named.get(other_slug, other_slug)
            if other_slug != slug and other_slug in self.members and max(scores) >= MERGE_SCORE:
                self.merge(slug, other_slug)
                slug = self.slug_of[row]
        # The same event told in another language, found before this report joined its own
        # language's story: the two are one story when that one has no report in this language.
        language = self.language(row)
        for other, _ in cross:
            other_slug = self.slug_of.get(other)
            if (other_slug is not None and other_slug != slug and self.language(other) != language
                    and self.open_story(other_slug, when)
                    and all(self.language(member) != language for member in self.members[other_slug])):
                self.merge(slug, other_slug)
                slug = self.slug_of[row]

    def language(self, row: int) -> str:
        if row not in self.languages:
            self.languages[row] = language_of(self.posts[row])
        return self.languages[row]

    def add(self, row: int, slug: str) -> None:
        if alone(slug) and self.members.get(slug):
            slug = self.name(slug)
        self.slug_of[row] = slug
        self.members[slug].append(row)
        self.first[slug] = min(self.first.get(slug, self.posts[row].date), self.posts[row].date)

    def name(self, key: str) -> str:
        """A story of one is joined: it gets its slug, from its (first) headline."""
        rows = self.members.pop(key)
        slug = new_slug(self.posts[rows[0]].title, self.taken)
        self.named[key] = slug
        self.members[slug] = rows
        self.first[slug] = self.first.pop(key)
        for row in rows:
            self.slug_of[row] = slug
        return slug

    def merge(self, one: str, other: str) -> None:
        """The younger story joins the older; stories an editor chose posts for stay whole."""
        if {one, other} & (self.pinned | self.closed):
            return
        keep, gone = sorted((one, other), key=lambda s: (self.first[s], s))
        if alone(keep):
            keep = self.name(keep)
        for row in self.members.pop(gone):
            self.add(row, keep)
        self.first.pop(gone)
        if not alone(gone):
            self.merged[gone] = keep


def assign_stories(posts: list[Post], previous: Assignment = Assignment()) -> Stories:
    """Every post's story: kept from ``previous``, chosen by an editor, or placed now."""
    ordered = sorted(posts, key=lambda post: (post.date, post.src))
    merged = dict(previous.merged)
    taken = set(previous.story_of.values()) | set(merged) | set(merged.values())
    slug_of: dict[int, str] = {}
    pinned, closed = set(), set()
    for row, post in enumerate(ordered):
        if isinstance(post.story, str):
            slug_of[row] = resolve(post.story, merged)
            pinned.add(slug_of[row])
        elif post.story is False:
            # Kept out of every story: a story of its own, which nothing joins.
            slug_of[row] = ALONE + post.src
            closed.add(slug_of[row])
        elif post.id in previous.story_of:
            kept = previous.story_of[post.id]
            slug_of[row] = resolve(kept, merged) if kept else ALONE + post.src
    taken |= set(slug_of.values())
    before = dict(slug_of)
    placer = _Placer(ordered, slug_of, merged, pinned, closed, taken)
    new = [row for row in range(len(ordered)) if row not in slug_of]
    if new:
        place_new(ordered, new, placer)
    moved = sum(1 for row, slug in before.items()
                if ordered[row].id in previous.story_of and ordered[row].story is None
                and slug_of[row] != placer.named.get(slug, slug))
    published = set(previous.story_of.values()) | set(previous.merged)
    return _result(ordered, slug_of, merged, published, moved)


def place_new(ordered: list[Post], new: list[int], placer: _Placer) -> None:
    """Place the ``new`` rows, oldest first, among the posts of their time window."""
    # A new post joins a story through an article at most GAP_DAYS away: only those are read.
    first, last = ordered[new[0]].date, ordered[new[-1]].date
    start, end = first - timedelta(days=GAP_DAYS), last + timedelta(days=GAP_DAYS)
    window = [row for row, post in enumerate(ordered) if start <= post.date <= end]
    position = {row: index for index, row in enumerate(window)}
    # Only the lead is read: long bodies are cut before anything splits them.
    posts = [Lead.of(ordered[row], LEAD_CHARS) for row in window]
    times = np.array([post.date.timestamp() for post in posts])
    evidence = read_posts(posts)
    vectors = evidence.vectors
    placer.languages.update(zip(window, evidence.languages))
    languages = np.array(evidence.languages)
    rows = np.array([position[row] for row in new], dtype=np.int64)
    names = entity_matrix(evidence.names)
    numbers = entity_matrix(evidence.numbers)
    left, right, scores = similar_pairs(vectors, times, languages, rows)
    # German capitalises every noun: there a shared capital says no more than a shared word.
    shared_names = np.where(np.isin(languages[left], NOUN_CAPITALS), 0, shared(names, left, right))
    scores = affinity(scores, shared_names, shared(numbers, left, right))
    # A pair below SUPPORT_SCORE can neither join nor merge: most posts have none above it.
    usable = scores >= SUPPORT_SCORE
    similar = by_row(left[usable], right[usable], scores[usable])
    cross = by_row(*entity_pairs(names, numbers, times, rows))
    for index in rows.tolist():
        row = window[index]
        if index not in similar and index not in cross:
            placer.add(row, ALONE + ordered[row].src)
            continue
        placer.place(row, [(window[other], score) for other, score in similar.get(index, ())],
                     [(window[other], count) for other, count in cross.get(index, ())])


def _result(ordered: list[Post], slug_of: dict[int, str], merged: dict[str, str],
            published: set[str], moved: int) -> Stories:
    members: dict[str, list[str]] = defaultdict(list)
    for row in range(len(ordered)):
        members[slug_of[row]].append(ordered[row].src)
    stories = {key: Story("" if alone(key) else key, tuple(srcs)) for key, srcs in members.items()}
    live = set(stories)
    # A merged slug is kept if it had been published (a story made and merged in one run never
    # had a page) and its story still exists; a chain is shortened to its end.
    kept_merges = {old: resolve(old, merged) for old in sorted(merged)
                   if old in published and old not in live and resolve(old, merged) in live}
    assignment = Assignment({post.id: stories[slug_of[row]].slug for row, post in enumerate(ordered)},
                            kept_merges)
    return Stories(stories, {ordered[row].src: key for row, key in slug_of.items()}, assignment,
                   moved)
