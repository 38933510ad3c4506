"""``digest check``: everything an editor or CI should know before building the site.

Settings were validated when loaded; here come feeds.txt and every post's front matter.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from digest.config import Settings
from digest.errors import FeedListError
from digest.feedlist import read_feed_list
from digest.posts import PostProblem, load_posts


def check_site(settings: Settings) -> list[PostProblem]:
    problems: list[PostProblem] = []
    try:
        read_feed_list(settings.feeds)
    except FeedListError as exc:
        for line in str(exc).splitlines():
            where, _, message = line.partition(": ")
            problems.append(PostProblem(where, message))
    posts, post_problems = load_posts(settings.docs_dir, settings.posts_dir, ZoneInfo(settings.timezone))
    problems += post_problems
    docs_name = settings.docs_dir.name
    first_with_id: dict[str, str] = {}
    known = {post.src for post in posts}
    for post in posts:
        shown = f"{docs_name}/{post.src}"
        if post.id in first_with_id:
            problems.append(PostProblem(f"{shown}:1", f"id: {post.id!r} is also the id of "
                                                      f"{docs_name}/{first_with_id[post.id]}"))
        first_with_id.setdefault(post.id, post.src)
        for target in post.see_also or ():
            if target not in known:
                problems.append(PostProblem(f"{shown}:1", f"see_also: no such post: {target!r} "
                                                          f"(paths are relative to {docs_name}/)"))
    return problems
