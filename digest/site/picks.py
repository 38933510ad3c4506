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
