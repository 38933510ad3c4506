"""Settings, read once from ``mkdocs.yml`` under ``extra: digest:`` and validated all at once.

The site's templates read the same keys through ``config.extra.digest``, so the CLI and the
theme can never disagree. Every option is declared once in ``OPTIONS`` with its type, default
and meaning; validation collects every bad key before failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
import mergedeep
from mkdocs.exceptions import ConfigurationError as MkDocsConfigurationError
from mkdocs.utils import yaml as mkdocs_yaml

from digest.errors import ConfigError
from digest.support import (Analytics, SupportAppeal, analytics_problem, resolve_analytics,
                            validate_support)


@dataclass(frozen=True)
class Option:
    name: str
    kind: type | tuple[type, ...]
    default: Any
    doc: str
    check: Callable[[Any], str | None] = lambda value: None


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _small_count(value: int) -> str | None:
    return None if 0 <= value <= 20 else "must be between 0 and 20"


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"not a time zone: {value!r} (use a name such as 'Europe/Budapest')"
    return None


def _locale(value: str) -> str | None:
    from babel import Locale, UnknownLocaleError

    try:
        value and Locale.parse(value.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return f"not a locale: {value!r} (use a code such as 'en_GB' or 'hu')"
    return None


def feed_rules_problem(selectors: tuple[str, ...], patterns: tuple[str, ...]) -> str | None:
    """Why a feed's own removal rules (``remove``, ``remove_text``) do not compile, if they don't.

    The settings keep them as plain text; ingest compiles them (``boilerplate.make_rules``)
    with the same engines used here: lxml's CSS selectors, Python's regular expressions.
    """
    if selectors:
        from lxml.cssselect import CSSSelector     # only when a feed has selectors: check stays light

        for selector in selectors:
            try:
                CSSSelector(selector)
            except Exception as exc:      # cssselect raises several types; the config reports them
                return f"not a CSS selector: {selector!r} ({exc})"
    for pattern in patterns:
        try:
            re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            return f"not a regular expression: {pattern!r} ({exc})"
    return None


def _feed_options(value: dict) -> str | None:
    for feed, options in value.items():
        if not isinstance(options, dict) or set(options) - {"full_text", "remove", "remove_text"}:
            return f"{feed}: expected a mapping with full_text, remove, remove_text"
        lists = [options.get(key, []) for key in ("remove", "remove_text")]
        if not all(isinstance(x, list) and all(isinstance(i, str) for i in x) for x in lists):
            return f"{feed}: remove and remove_text must be lists of text"
        if not isinstance(options.get("full_text", False), bool):
            return f"{feed}: full_text must be true or false"
        problem = feed_rules_problem(tuple(lists[0]), tuple(lists[1]))
        if problem:
            return f"{feed}: {problem}"
    return None


def _relative_path(value: str) -> str | None:
    if not value or Path(value).is_absolute() or ".." in Path(value).parts:
        return f"must be a relative path inside the site: {value!r}"
    return None


OPTIONS: tuple[Option, ...] = (
    Option("feeds", str, "feeds.txt", "the feed list, relative to mkdocs.yml"),
    Option("state", str, "digest-state.json", "the committed state file, relative to mkdocs.yml",
           _relative_path),
    Option("stories", str, "digest-stories.json", "the committed story assignment (which "
           "story each post is in, so stories keep their pages), relative to mkdocs.yml",
           _relative_path),
    Option("top_stories", int, 12, "how many top stories the front page leads with", _positive),
    Option("posts_dir", str, "posts", "where posts live, relative to docs_dir", _relative_path),
    Option("notes_dir", str, "notes", "where editor's notes live (one per day: YYYY-MM-DD.md), "
           "relative to docs_dir", _relative_path),
    Option("see_also", int, 3, "how many related articles each article links to", _small_count),
    Option("min_similarity", (int, float), 0.12,
           "the lowest similarity score a related article needs (0-1)",
           lambda v: None if 0 <= v <= 1 else "must be between 0 and 1"),
    Option("timezone", str, "UTC", "the publication's time zone for dates on pages", _timezone),
    Option("front_page_days", int, 3, "how many earlier days' digests the front page links "
           "to, below the latest edition's stories", _positive),
    Option("front_page_lines", int, 8, "how many stories of each category the front page lists "
           "below the top stories (the best covered); a link to the category's page stands for "
           "the rest", _positive),
    Option("feed_items", int, 50, "how many items the digest's own RSS feed carries", _positive),
    Option("locale", str, "", "a regional variant of theme.language for dates (e.g. en_GB); ignored "
           "when its language differs from theme.language",
           _locale),
    Option("page_size", int, 50, "how many stories (articles on source pages) one numbered category "
           "or source page lists; the first page lists between this and twice this", _positive),
    Option("search_full_days", int, 7, "articles this many days older than the newest are "
           "searchable by title and summary only (keeps the search index small)", _positive),
    Option("full_text", bool, False,
           "publish full article text (True) or the summary plus a link (False); per feed too"),
    Option("feed_options", dict, {}, "per feed (its URL or display name): full_text, remove (CSS "
           "selectors), remove_text (regular expressions for short boilerplate blocks)",
           _feed_options),
    Option("category_map", dict, {}, "a feed's category -> the publication's (case-insensitive)",
           lambda v: None if all(isinstance(x, str) for x in [*v, *v.values()]) else "expected text -> text"),
    Option("categories", list, [], "the allowed categories (after category_map); empty: any",
           lambda v: None if all(isinstance(x, str) for x in v) else "expected a list of text"),
    Option("user_agent", str, "", "the User-Agent for fetching; empty: built from site_url"),
    Option("keep_days", int, 0, "generated posts older than this many days are removed by the "
           "fetch (never hand-written or edited ones); 0 keeps everything",
           lambda v: None if v >= 0 else "must be 0 (keep everything) or more"),
    Option("timeout", (int, float), 20, "seconds allowed for one attempt at one feed, "
           "connect to last byte (connecting alone: at most 10)", _positive),
    Option("concurrency", int, 16, "how many feeds are fetched at once", _positive),
    Option("per_host", int, 2, "how many feeds from one host are fetched at once", _positive),
    Option("retries", int, 2, "extra attempts after a timeout, HTTP 5xx or 429", _small_count),
    Option("fetch_deadline", (int, float), 900, "seconds the whole fetch may take: no retry "
           "or Retry-After wait goes past it, and a feed not started by then is not tried",
           _positive),
    Option("failing_days", int, 3, "the report lists feeds failing for more than this many days",
           _positive),
    Option("site_budget", (int, float), 900, "megabytes the published site may weigh (GitHub "
           "Pages publishes at most 1 GB): older automatic articles are published compact (a "
           "line on their month's archive page, a small page at their address) once full pages "
           "would not fit; `digest publish` reports the site against it", _positive),
    Option("support", (dict, bool), {}, "the membership appeal: heading, text, button, link, "
           "variants per category, wordings to compare, and the texts its script shows (count, "
           "not_now, quiet, already_member, thanks); false hides it everywhere"),
    # The appeal in the reader's browser (docs/javascripts/digest-appeal.js); it keeps what
    # it knows in that browser's localStorage and sends it nowhere.
    Option("appeal_count_from", int, 3, "the appeal tells readers how many articles they read "
           "here in the last 30 days once it is at least this many (2 or more: the wording is "
           "plural); 0: never",
           lambda v: None if v == 0 or v >= 2 else "must be 0 (never) or 2 or more"),
    Option("appeal_dismiss_days", int, 7, "days a reader's \"Not now\" hides the full appeal "
           "(a one-line form shows meanwhile)", _positive),
    Option("appeal_full_views", int, 3, "the full appeal shows a reader at most this many times "
           "a day, the one-line form after that; 0: no cap",
           lambda v: None if v >= 0 else "must be 0 (no cap) or more"),
    Option("member_days", int, 365, "days a browser counts as a member's (thanked, not asked) "
           "after a visit with ?member=1 or a click on \"I'm already a member\"", _positive),
    Option("analytics", dict, {}, "optional counting of the appeal's views and clicks per "
           "wording, without cookies: provider (plausible, goatcounter, umami), site, endpoint; "
           "unset: the site makes no request to any other host", analytics_problem),
)

@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, resolved to absolute paths."""

    root: Path
    docs_dir: Path
    site_name: str
    site_url: str
    language: str
    custom_dir: Path | None
    use_directory_urls: bool
    feeds: Path
    state: Path
    stories: Path
    top_stories: int
    posts_dir: str
    notes_dir: str
    see_also: int
    min_similarity: float
    timezone: str
    front_page_days: int
    front_page_lines: int
    feed_items: int
    locale: str
    page_size: int
    search_full_days: int
    full_text: bool
    feed_options: dict
    category_map: dict
    categories: tuple
    user_agent: str
    keep_days: int
    timeout: float
    concurrency: int
    per_host: int
    retries: int
    fetch_deadline: float
    failing_days: int
    site_budget: float               # megabytes
    support: SupportAppeal
    appeal_count_from: int
    appeal_dismiss_days: int
    appeal_full_views: int
    member_days: int
    analytics: Analytics | None
    site_dir: Path = Path("site")       # where the engine builds the site (mkdocs.yml site_dir)


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its Python tags (``!!python/name``, ``!ENV``)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_mkdocs_yml(path: Path) -> dict:
    """``mkdocs.yml`` as MkDocs reads it: ``!ENV`` tags take the environment's value (or
    their default) and ``INHERIT`` merges the parent file under this one
    (``mkdocs.utils.yaml.yaml_load``), but Python tags are not executed (the loader is safe)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path.name}: not found in {path.parent} (run digest in the site's root)")
    try:
        # Parsed once by itself first, so a YAML error names its line.
        data = yaml.load(text, Loader=_MkDocsLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name}:{mark.line + 1}" if mark else path.name
        raise ConfigError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}")
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected a mapping of settings")
    try:
        data = _with_parents(path)
    except (MkDocsConfigurationError, yaml.YAMLError, OSError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected a mapping of settings")
    return data


def _with_parents(path: Path, depth: int = 0) -> dict:
    """The file with the files it inherits merged under it, as MkDocs' own ``yaml_load`` does
    (its loader for ``!ENV``, mergedeep for ``INHERIT``), except that a missing parent reads
    as empty: ``digest-build.yml``, which the site's mkdocs.yml inherits, is written by
    `digest pages` and is not there before the first run (and holds no setting of ours)."""
    if depth > 10:
        raise ConfigError(f"{path.name}: INHERIT goes more than ten files deep (a loop?)")
    with open(path, "rb") as handle:
        data = yaml.load(handle, Loader=mkdocs_yaml.get_yaml_loader(loader=_MkDocsLoader)) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name}: expected a mapping of settings")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str) and (path.parent / parent).is_file():
        data = mergedeep.merge(_with_parents(path.parent / parent, depth + 1), data)
    return data


def validate_digest_options(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """Apply defaults and check types; return the values and every problem found."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {}, ["extra.digest: must be a mapping of settings"]
    errors = []
    known = {option.name: option for option in OPTIONS}
    for key in sorted(set(raw) - set(known)):
        errors.append(f"extra.digest.{key}: unknown setting (known: {', '.join(sorted(known))})")
    values = {}
    for option in OPTIONS:
        value = raw.get(option.name, option.default)
        wrong_type = not isinstance(value, option.kind) or (
            isinstance(value, bool) and option.kind in (int, (int, float)))
        if wrong_type:
            errors.append(f"extra.digest.{option.name}: expected {_kind_name(option.kind)}, "
                          f"got {value!r}")
            continue
        problem = option.check(value)
        if problem:
            errors.append(f"extra.digest.{option.name}: {problem}")
        values[option.name] = value
    support, support_errors = validate_support(values.get("support", {}))
    values["support"] = support
    return values, errors + support_errors


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
             dict: "a mapping"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def load_settings(config_file: Path | str = "mkdocs.yml") -> Settings:
    """Read and validate ``mkdocs.yml``; raise one ConfigError listing every problem."""
    path = Path(config_file).resolve()
    data = read_mkdocs_yml(path)
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        raise ConfigError(f"{path.name}: extra: must be a mapping")
    values, errors = validate_digest_options(extra.get("digest"))
    if errors:
        raise ConfigError(f"{path.name}: " + f"\n{path.name}: ".join(errors))
    root = path.parent
    theme = data.get("theme") or {}
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    return Settings(
        root=root,
        docs_dir=root / data.get("docs_dir", "docs"),
        site_name=str(data.get("site_name", "digest")),
        site_url=str(data.get("site_url") or ""),
        language=str(theme.get("language", "en")) if isinstance(theme, dict) else "en",
        custom_dir=root / custom_dir if custom_dir else None,
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        site_dir=root / str(data.get("site_dir") or "site"),
        **{option.name: _resolved(option.name, values[option.name], root) for option in OPTIONS},
    )


def _resolved(name: str, value: Any, root: Path) -> Any:
    """An option's validated value in the form Settings holds it (paths absolute, numbers float)."""
    if name in ("feeds", "state", "stories"):
        return root / value
    if name in ("posts_dir", "notes_dir"):
        return value.strip("/")
    if name in ("min_similarity", "timeout", "fetch_deadline"):
        return float(value)
    if name == "categories":
        return tuple(value)
    if name == "analytics":
        return resolve_analytics(value)
    return value
