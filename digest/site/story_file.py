"""The story assignment kept between runs: ``digest-stories.json`` beside ``mkdocs.yml``.

Stories keep their slugs (their pages' addresses) as they grow only if the assignment
survives from one night to the next, so it is committed with the posts, like the state
file. It belongs to the site side (the store never reads it) and says, for every story, the
ids of its posts, one story a line, sorted, so that a night's commit shows which stories
grew: deterministic, readable in a diff, and unchanged by a rerun over the same posts. Posts
that are a story of their own (most are) are listed under "alone", one a line: they have
no story page and so no slug yet; the first report that joins one gives it its slug.
An editor never needs to edit it: ``story:`` in a post's front matter overrides it.

A missing file starts over (every story placed afresh); an unreadable one too, with a
problem to report, and is rewritten from the posts on the next run.
"""

from __future__ import annotations

import json
from pathlib import Path

from digest.site.stories import Assignment
from digest.store.files import write_if_changed

ABOUT = ("Which story each post belongs to (post ids by story slug; alone: a story of its "
         "own), kept by digest pages so that a story keeps its page as it grows. Generated: to "
         "move a post, put story: SLUG or story: false in its front matter instead.")


def load_assignment(path: Path) -> tuple[Assignment, str | None]:
    """The kept assignment, and a problem when the file exists but cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Assignment(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Assignment(), f"{path.name}: unreadable ({exc}); stories are placed afresh"
    try:
        data = json.loads(text)
        stories, merged = data.get("stories", {}), data.get("merged", {})
        story_of = {str(post_id): "" for post_id in data.get("alone", [])}
        story_of.update({str(post_id): str(slug) for slug, ids in stories.items() for post_id in ids})
        return Assignment(story_of, {str(old): str(new) for old, new in merged.items()}), None
    except (ValueError, AttributeError, TypeError) as exc:
        return Assignment(), f"{path.name}: not a story file ({exc}); stories are placed afresh"


def dump_assignment(assignment: Assignment) -> str:
    by_slug: dict[str, list[str]] = {}
    for post_id, slug in assignment.story_of.items():
        by_slug.setdefault(slug, []).append(post_id)
    lines = ["{", f'  "about": {json.dumps(ABOUT)},', '  "merged": {']
    lines.append(",\n".join(f"    {json.dumps(old)}: {json.dumps(new)}"
                            for old, new in sorted(assignment.merged.items())))
    lines += ["  },", '  "stories": {']
    lines.append(",\n".join(f"    {json.dumps(slug)}: {json.dumps(sorted(ids), ensure_ascii=False)}"
                            for slug, ids in sorted(by_slug.items()) if slug))
    lines += ["  },", '  "alone": [']
    lines.append(",\n".join(f"    {json.dumps(post_id, ensure_ascii=False)}"
                            for post_id in sorted(by_slug.get("", []))))
    lines += ["  ]", "}"]
    return "\n".join(line for line in lines if line) + "\n"


def save_assignment(assignment: Assignment, path: Path) -> bool:
    """Write the file (atomically) unless it already says exactly this; whether it wrote."""
    return write_if_changed(path, dump_assignment(assignment))
