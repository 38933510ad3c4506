"""``digest check`` of the posts: every post's front matter (required keys, the date,
categories the configuration allows, ``story:`` a slug or false, the editorial keys), and
what lies between posts: ``see_also`` targets that exist, no id used twice, page names that
collide, links to unpublished posts; and the editor's notes."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from digest.checks.settings import drafts_kept_out
from digest.config import Settings
from digest.site.notes import relative_targets
from digest.site.urls import (RESERVED_SLUGS, SLUG_MAX, category_src, is_web_link, natural_slug,
                              slug, source_src)
from digest.store import frontmatter
from digest.store.frontmatter import line_of
from digest.store.notes import load_notes
from digest.store.posts import Post, PostProblem, parse_post, story_problem

# Keys a generated post always has (``link`` may be missing: an entry without an http link).
GENERATED_KEYS = {
    "id": "without it, a lost state file would let the feed bring the story back as a second post",
    "source": "the article page names the publication from it",
}


# --- posts --------------------------------------------------------------------------------

def check_posts(settings: Settings) -> list[PostProblem]:
    docs, zone = settings.docs_dir, ZoneInfo(settings.timezone)
    root = docs / settings.posts_dir
    problems: list[PostProblem] = []
    posts: list[tuple[Post, str]] = []           # each readable post and its front matter
    for path in sorted(root.rglob("*.md")) if root.is_dir() else ():
        shown = path.relative_to(docs.parent).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(PostProblem(f"{shown}:1", f"not UTF-8 text ({exc.reason})"))
            continue
        post, found = parse_post(text, path.relative_to(docs).as_posix(), shown, zone)
        problems += found
        if post is not None:
            front = frontmatter.split(text)[0]
            problems += check_post(post, front, shown, settings)
            posts.append((post, front))
    problems += _links_and_ids(posts, docs.name)
    problems += _page_names(posts, docs.name, settings.site_name)
    problems += drafts_kept_out(settings, [post for post, _ in posts if post.draft])
    problems += _links_to_drafts(settings, [post for post, _ in posts])
    return problems


def _links_to_drafts(settings: Settings, posts: list[Post]) -> list[PostProblem]:
    """A published post or a note that links to an unpublished post gives readers a dead
    link (MkDocs only logs it, even with --strict)."""
    drafts = {post.src for post in posts if post.draft}
    if not drafts:
        return []
    texts = [(post.src, post.text) for post in posts if not post.draft]
    texts += [(note.src, note.text) for note in load_notes(settings.docs_dir, settings.notes_dir)[0].values()]
    problems = []
    docs = settings.docs_dir.name
    for src, text in texts:
        for target, written in relative_targets(text, src):
            if target in drafts:
                problems.append(PostProblem(f"{docs}/{src}:{_line_of_text(settings.docs_dir / src, written)}",
                                            f"links to {target}, which is unpublished (draft: "
                                            "true): readers get a dead link", False))
    return problems


def _line_of_text(path: Path, written: str) -> int:
    """The file line where ``written`` first appears (1 if it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    at = text.find(written)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def check_post(post: Post, front: str, shown: str, settings: Settings) -> list[PostProblem]:
    """What one readable post can get wrong on its own."""
    meta = frontmatter.load(front)
    problems = []

    def problem(key: str, message: str, fatal: bool = True) -> None:
        problems.append(PostProblem(f"{shown}:{line_of(front, key)}", message, fatal))

    if post.generated:
        for key, why in GENERATED_KEYS.items():
            if not meta.get(key):
                problem("feed", f"{key}: missing in a fetched post (it has feed:): {why}")
    categories = meta.get("categories")
    if categories is not None and not isinstance(categories, (list, str)):
        problem("categories", "categories: expected a list of names, like [Politics, World]")
    allowed = {name.casefold(): name for name in settings.categories}
    for category in post.categories if allowed else ():
        if category.casefold() not in allowed:
            problem("categories", f'categories: "{category}" is not an allowed category '
                                  f"(extra.digest.categories: {', '.join(settings.categories)})")
        elif category != allowed[category.casefold()]:
            problem("categories", f'categories: "{category}" is spelled '
                                  f'"{allowed[category.casefold()]}" in extra.digest.categories',
                    False)
    link = meta.get("link")
    if link is not None and not is_web_link(str(link)):
        problem("link", f'link: not an http(s) address: "{link}"', False)
    if "reading_time" in meta and not post.reading_time:
        problem("reading_time", f"reading_time: expected a whole number of minutes, got "
                                f"{meta['reading_time']!r} (ignored)", False)
    return problems + check_editorial_keys(post, meta, front, shown)


def check_editorial_keys(post: Post, meta: dict, front: str, shown: str) -> list[PostProblem]:
    """The keys editors shape the site with: draft, story, featured, rank, updated, correction."""
    problems = []

    def problem(key: str, message: str, fatal: bool = True) -> None:
        problems.append(PostProblem(f"{shown}:{line_of(front, key)}", message, fatal))

    if "draft" in meta and not isinstance(meta["draft"], bool):
        problem("draft", f"draft: expected true or false, got {meta['draft']!r} (the post is kept "
                         "off the site until this is fixed)")
    wrong_story = story_problem(meta.get("story"))
    if wrong_story:
        problem("story", wrong_story)
    if "published" in meta:
        problem("published", "published: digest does not read this key; to take a post off the "
                             "site while keeping its file, write draft: true")
    if "featured" in meta and not isinstance(meta["featured"], bool):
        problem("featured", f"featured: expected true or false, got {meta['featured']!r}")
    if "rank" in meta and post.rank is None:
        problem("rank", f"rank: expected a whole number from 1 (1 leads the day), got {meta['rank']!r}")
    if "updated" in meta:
        if post.updated is None:
            problem("updated", f"updated: not a date: {meta['updated']!r} (like 2026-11-24 or "
                               "2026-11-24 09:30)")
        elif post.updated.date() < post.date.date():
            problem("updated", "updated: earlier than the post's date: the notice would say it was "
                               "corrected before it was published", False)
    if "correction" in meta:
        if not post.correction:
            problem("correction", "correction: expected the text of the notice, like: The ferry "
                                  "leaves at 07:10, not 07:30.")
        elif "updated" not in meta:
            problem("correction", "correction: needs updated: with the day of the correction "
                                  "(the notice is dated); it is not shown without it")
    return problems


def check_notes(settings: Settings) -> list[PostProblem]:
    """Editor's notes: the file name is the day, the front matter only a heading."""
    return load_notes(settings.docs_dir, settings.notes_dir)[1]


def _links_and_ids(posts: list[tuple[Post, str]], docs_name: str) -> list[PostProblem]:
    """Problems between posts: an id used twice, a see_also target that is not a post."""
    problems, first_with_id = [], {}
    known = {post.src for post, _ in posts}
    for post, front in sorted(posts, key=lambda pair: pair[0].src):
        shown = f"{docs_name}/{post.src}"
        if post.id in first_with_id:
            problems.append(PostProblem(
                f"{shown}:{line_of(front, 'id')}",
                f'id: "{post.id}" is also the id of {docs_name}/{first_with_id[post.id]} '
                "(a copied post? give one of them another id, or delete it)"))
        first_with_id.setdefault(post.id, post.src)
        for target in post.see_also or ():
            where = f"{shown}:{_item_line(front, 'see_also', target)}"
            if target == post.src:
                problems.append(PostProblem(where, f'see_also: "{target}" is this post itself', False))
            elif target not in known:
                hint = _see_also_hint(target, known, docs_name)
                problems.append(PostProblem(where, f'see_also: no such post: "{target}"{hint}'))
    return problems


def _page_names(posts: list[tuple[Post, str]], docs_name: str, site_name: str) -> list[PostProblem]:
    """Warnings for the category and source names whose page ``urls.slug`` had to resolve:
    a reserved name, a name without letters, a name cut short, and different names that
    share one page."""
    problems, seen, first_by_slug = [], set(), {}
    for post, front in sorted(posts, key=lambda pair: pair[0].src):
        names = [("category", "categories", name, category_src) for name in post.categories]
        names.append(("source", "source", post.source or site_name, source_src))
        for kind, key, name, src_of in names:
            where = f"{docs_name}/{post.src}:{line_of(front, key)}"
            page = f"{docs_name}/{src_of(name)}"
            natural = natural_slug(name)
            if (kind, name) not in seen:
                if natural in RESERVED_SLUGS:
                    problems.append(PostProblem(where, f'{kind} "{name}" is published at {page}: '
                                                f"{natural}.md is the folder's own page", False))
                elif not natural:
                    problems.append(PostProblem(where, f'{kind} "{name}" has no letters or digits '
                                                f"for a page name: published at {page}", False))
                elif slug(name) != natural:         # cut at SLUG_MAX: a hash keeps it apart
                    problems.append(PostProblem(where, f'{kind} "{name}" is longer than a page name '
                                                f"({SLUG_MAX} characters): published at {page}", False))
            seen.add((kind, name))
            other = first_by_slug.setdefault((kind, slug(name)), name)
            if other.casefold() != name.casefold():
                hint = " (category_map can make one the other)" if kind == "category" else ""
                problems.append(PostProblem(where, f'{kind} "{name}" shares one page with '
                                            f'"{other}": {page}{hint}', False))
    return _once(problems)


def _once(problems: list[PostProblem]) -> list[PostProblem]:
    """Each message once (a name shared by many posts is reported at its first)."""
    seen, kept = set(), []
    for problem in problems:
        if problem.message not in seen:
            seen.add(problem.message)
            kept.append(problem)
    return kept


def _item_line(front: str, key: str, item: str) -> int:
    """The line of ``item`` in the list under ``key:`` (else the key's own line)."""
    start = line_of(front, key)
    for number, line in enumerate(front.splitlines(), start=2):
        if number >= start and item in line:
            return number
    return start


def _see_also_hint(target: str, known: set[str], docs_name: str) -> str:
    for candidate in (target.removeprefix(f"{docs_name}/"), target.lstrip("/"),
                      target.removesuffix("/") + ".md", target + ".md"):
        if candidate in known:
            return f' (did you mean "{candidate}"? paths are relative to {docs_name}/)'
    return f" (paths are relative to {docs_name}/, like posts/2026/11/23/slug.md)"
