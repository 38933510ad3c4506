"""Editors' picks: a post with ``featured: true`` or ``rank: N`` leads its day's top stories.

The one ordering rule for picks, whatever the ranking says: ranked picks first, by rank
(1 before 2), then the other featured posts, newest first.
"""

from __future__ import annotations

from digest.store.posts import Post


def pick_order(post: Post) -> tuple:
    return (post.rank is None, post.rank or 0, -post.date.timestamp(), post.src)


def picks_of(posts: list[Post]) -> list[Post]:
    """The day's picks in the order they lead it."""
    return sorted((post for post in posts if post.featured), key=pick_order)


def picked_stories(keys: list[str], members_of) -> list[str]:
    """The stories among ``keys`` holding a pick (``members_of(key)``: a story's posts), in
    the order they lead: by their best pick. Stories lead the day's top stories this way,
    ahead of whatever the ranking puts first."""
    best = {}
    for key in keys:
        picks = picks_of(members_of(key))
        if picks:
            best[key] = pick_order(picks[0])
    return sorted(best, key=best.__getitem__)


def picks_lead(picked: list[str], ranked: list[str], count: int) -> list[str]:
    """Top stories: every picked story first (even past ``count``), then the ranking's."""
    return (picked + [key for key in ranked if key not in set(picked)])[:max(count, len(picked))]
