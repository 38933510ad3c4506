"""``digest check`` of the site's own files: ``mkdocs.yml`` (our settings under ``extra:
digest:`` and the site settings they rely on), the state file, and ``feeds.txt``. Every
problem names the file and the line of its key, so an editor can jump to it."""

from __future__ import annotations

from pathlib import Path

import yaml

from digest.config import Settings, _MkDocsLoader, read_mkdocs_yml
from digest.errors import FeedListError
from digest.ingest.feedlist import read_feed_list
from digest.site.buildconfig import BUILD_CONFIG
from digest.site.urls import support_page
from digest.store.posts import Post, PostProblem
from digest.store.state import StateError, load_state


# --- mkdocs.yml ---------------------------------------------------------------------------

def key_lines(text: str) -> dict[str, int]:
    """The line of every mapping key in a YAML document, by dotted path ("extra.digest.feeds")."""
    try:
        root = yaml.compose(text, Loader=_MkDocsLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    dotted = f"{path}.{key.value}" if path else str(key.value)
                    lines.setdefault(dotted, key.start_mark.line + 1)
                    walk(value, dotted)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                name = item.value if isinstance(item, yaml.ScalarNode) else (
                    item.value[0][0].value if isinstance(item, yaml.MappingNode) and item.value
                    and isinstance(item.value[0][0], yaml.ScalarNode) else None)
                if name is not None:
                    lines.setdefault(f"{path}[{name}]", item.start_mark.line + 1)
                walk(item, path)

    walk(root, "")
    return lines


def where_of(config: Path, lines: dict[str, int], dotted: str) -> str:
    """``mkdocs.yml:LINE`` for the deepest part of ``dotted`` that is in the file."""
    parts = dotted.split(".")
    while parts:
        line = lines.get(".".join(parts))
        if line:
            return f"{config.name}:{line}"
        parts.pop()
    return config.name


def config_problem(line: str, config: Path) -> PostProblem:
    """A ConfigError line ("mkdocs.yml: extra.digest.x: ...") with the line of its key."""
    where, _, message = line.partition(": ")
    key = message.split(":", 1)[0]
    if where == config.name and key.startswith("extra."):
        try:
            lines = key_lines(config.read_text(encoding="utf-8"))
        except OSError:
            lines = {}
        where = where_of(config, lines, key)
    return PostProblem(where, message)


def check_settings(settings: Settings, config: Path) -> list[PostProblem]:
    """What valid-looking settings can still get wrong: pages, templates, categories."""
    text = config.read_text(encoding="utf-8")
    raw = read_mkdocs_yml(config)
    lines = key_lines(text)
    problems = []

    def problem(key: str, message: str, fatal: bool = True) -> None:
        problems.append(PostProblem(where_of(config, lines, key), message, fatal))

    # The same rule the site publishes the link by: not http(s) or mailto: a page under docs/.
    page = support_page(settings.support.link)
    if page and not (settings.docs_dir / page).is_file():
        problem("extra.digest.support.link", f"extra.digest.support.link: no such page: "
                f"{settings.docs_dir.name}/{page} (a page under {settings.docs_dir.name}/ or a "
                "full https:// address)")
    allowed = {category.casefold() for category in settings.categories}
    if allowed:
        for category in settings.support.variants:
            if category.casefold() not in allowed:
                problem(f"extra.digest.support.variants.{category}",
                        f"extra.digest.support.variants.{category}: not one of the allowed "
                        "categories (extra.digest.categories): this variant is never shown", False)
        for source, ours in settings.category_map.items():
            if str(ours).casefold() not in allowed:
                problem(f"extra.digest.category_map.{source}",
                        f"extra.digest.category_map.{source}: {ours!r} is not one of the allowed "
                        "categories (extra.digest.categories): articles in it get no category",
                        False)
    if settings.custom_dir is None or not (settings.custom_dir / "main.html").is_file():
        problem("theme.custom_dir", "theme.custom_dir: must be the folder with digest's "
                "templates (main.html): without it articles show no See also and no appeal")
    not_in_nav = raw.get("not_in_nav") if isinstance(raw, dict) else None
    if not isinstance(not_in_nav, str) or f"/{settings.posts_dir}/" not in not_in_nav:
        problem("not_in_nav", f"not_in_nav: should list /{settings.posts_dir}/** (without it, "
                              "every page's navigation lists every article)", False)
    if "markdown_extensions[attr_list]" in lines:
        problem("markdown_extensions[attr_list]", "markdown_extensions: attr_list lets text from "
                "feeds add HTML attributes to our pages; leave it out", False)
    try:
        state = load_state(settings.state)
    except StateError as exc:
        problems.append(PostProblem(settings.state.name, str(exc)))
        return problems
    if state.problem:
        problems.append(PostProblem(settings.state.name, f"{state.problem.unreadable}; the next fetch rebuilds "
                                    "what it can from the posts' front matter", False))
    return problems


# --- feeds.txt ----------------------------------------------------------------------------

def check_feed_list(settings: Settings) -> list[PostProblem]:
    try:
        read_feed_list(settings.feeds)
    except FeedListError as exc:
        return [PostProblem(*line.split(": ", 1)) for line in str(exc).splitlines()]
    return []


def drafts_kept_out(settings: Settings, drafts: list[Post]) -> list[PostProblem]:
    """Unpublished posts stay out of the build only through digest-build.yml (see
    digest/site/buildconfig.py): mkdocs.yml must inherit it and not replace its patterns."""
    config = settings.root / "mkdocs.yml"
    try:
        text = config.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_MkDocsLoader) or {}
    except (OSError, yaml.YAMLError):
        return []
    lines = key_lines(text)
    problems = []
    fatal = bool(drafts)
    consequence = (f"{len(drafts)} post(s) with draft: true would be published"
                   if drafts else "a post with draft: true would be published")
    if raw.get("INHERIT") != BUILD_CONFIG:
        problems.append(PostProblem(where_of(config, lines, "INHERIT"),
                                    f"INHERIT: mkdocs.yml must start with INHERIT: {BUILD_CONFIG} "
                                    f"(written by digest pages); without it {consequence}", fatal))
    for key in ("draft_docs", "exclude_docs"):
        if key in raw:
            problems.append(PostProblem(where_of(config, lines, key),
                                        f"{key}: replaces the one digest writes in {BUILD_CONFIG}; "
                                        f"remove it (with it {consequence}, or editor's notes "
                                        "become pages of their own)", fatal))
    return problems
