"""The one owner of link rules: the link a reader clicks, and the key that compares stories.

- ``published_link``: an entry's link as published, except that a known redirector is
  unwrapped and tracking parameters are removed. Nothing else is touched: a URL without
  tracking parameters is kept byte for byte (Miniflux's rule), so ``?12345``,
  ``item.php?id=1;lang=en``, ``%20`` and a hashbang route (``/app#!/story/42``) stay as the
  publisher wrote them.
- ``clean_link``: the same for a link in an entry's text (any scheme; only http(s) changes).
- ``story_key``: a normalised form for comparing two links (scheme, host case, default port,
  query encoding, a plain fragment); never published.
- ``is_dead_redirector``: feed redirectors that no longer answer (feedburner's feedproxy,
  feedsportal, pheedo), so normalise prefers the entry's real address.

Tracking parameters and redirections come from the ClearURLs rules (the browser add-on's
catalogue: per-site and global parameter names, redirections such as Google's
``/url?q=``), as shipped by the ``unalix-rev`` package; ``EXTRA_TRACKING`` adds the names
news feeds use that ClearURLs does not list. Both are applied the way ClearURLs applies
them (a parameter whose name fully matches a rule goes), but by removing ``name=value``
items from the text, never by re-encoding what is kept.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

# Tracking parameters news feeds carry that the ClearURLs rules do not name (lower case):
# AT Internet (xtor, at_*), Deutsche Welle (maca), the
# Washington Post (wprss), Microsoft/MSN (ocid, ncid), and the click ids of mail and ad
# platforms.
EXTRA_TRACKING = frozenset({
    "xtor", "maca", "wprss", "ocid", "ncid", "sr_share", "ref_src", "rss", "igshid", "_hsmi",
    "wt.mc_id", "at_medium", "at_campaign", "at_format", "at_link", "at_send_date",
    "at_platform", "at_creation", "at_recipient_id", "at_recipient_list",
})
# Redirectors that once stood in front of feed links and no longer answer. Feedburner's
# "/~r/" links are opaque (the target is not in the URL); feedsportal's carry it encoded.
DEAD_REDIRECTORS = re.compile(
    r"^https?://(?:feedproxy\.google\.com/|feeds\.feedburner\.com/~r/|[^/]*\.feedsportal\.com/"
    r"|[^/]*/click\.phdo\b|[^/]*\.pheedo\.com/)", re.IGNORECASE)
_FEEDSPORTAL = re.compile(r"^https?://[^/]*\.feedsportal\.com/.*?/l/(0L[0-9A-Za-z]+)/[^/]*$",
                          re.IGNORECASE)
# Feedsportal's escape codes: "0L0Sexample0N0Cnews0C" is http://www.example.com/news/.
_FEEDSPORTAL_CODES = {"A": "0", "B": ".", "C": "/", "D": "?", "E": "-", "F": "=", "G": "&",
                      "H": ",", "I": "_", "J": "%", "K": "+", "L": "http://", "M": "&amp;",
                      "N": ".com", "O": ".co.uk", "P": ";", "Q": "|", "R": ":", "S": "www.",
                      "T": "https://", "U": "?", "V": "/", "W": ".", "X": "#", "Y": "~"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_PATH_START = re.compile(r"(?:\\/|/)")


@dataclass(frozen=True)
class Provider:
    """One ClearURLs provider: the URLs it applies to, what it removes, where it redirects."""

    pattern: re.Pattern
    host: re.Pattern                      # the part of the pattern before the path
    exceptions: re.Pattern | None         # all of the provider's exceptions in one pattern
    redirections: tuple[re.Pattern, ...]
    raw_rules: tuple[re.Pattern, ...]
    params: re.Pattern | None             # rules and referral marketing: parameter names

    def applies(self, url: str) -> bool:
        return (self.pattern.search(url) is not None
                and (self.exceptions is None or self.exceptions.search(url) is None))


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns or ())


def _host_part(pattern: str) -> re.Pattern:
    """The pattern's scheme-and-host part (up to the path's first slash), to sort providers
    by host once; the whole pattern when it cannot be cut there."""
    start = pattern.find(":")
    slashes = [match.start() for match in _PATH_START.finditer(pattern, start + 1)]
    if start > 0 and len(slashes) >= 2:
        try:
            return re.compile(pattern[:slashes[2]] if len(slashes) > 2 else pattern, re.IGNORECASE)
        except re.error:
            pass
    return re.compile(".*")


def _one_pattern(patterns) -> re.Pattern | None:
    """Several patterns as one (one search instead of a hundred); those anchored at the start
    are grouped under one anchor, so a search tries them at the start only."""
    if not patterns:
        return None
    anchored = [item[1:] for item in patterns if item.startswith("^")]
    anywhere = [item for item in patterns if not item.startswith("^")]
    parts = ([f"^(?:{'|'.join(f'(?:{item})' for item in anchored)})"] if anchored else [])
    parts += [f"(?:{item})" for item in anywhere]
    return re.compile("|".join(parts), re.IGNORECASE)


@lru_cache(maxsize=1)
def providers() -> tuple[Provider, ...]:
    """The ClearURLs catalogue shipped in ``unalix-rev`` (read without importing unalix,
    which would compile its own copy and its HTTP client)."""
    spec = importlib.util.find_spec("unalix")
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = json.loads((folder / "package_data" / "rulesets" / "data.min.json").read_text("utf-8"))
    found = []
    for rule in data["providers"].values():
        if rule.get("completeProvider"):        # a blocked domain: nothing to clean, only block
            continue
        found.append(Provider(
            pattern=re.compile(rule["urlPattern"], re.IGNORECASE),
            host=_host_part(rule["urlPattern"]),
            exceptions=_one_pattern(rule.get("exceptions")),
            redirections=_compile(rule.get("redirections")),
            raw_rules=_compile(rule.get("rawRules")),
            params=_one_pattern((rule.get("rules") or []) + (rule.get("referralMarketing") or [])),
        ))
    return tuple(found)


@lru_cache(maxsize=4096)
def _providers_for(origin: str) -> tuple[Provider, ...]:
    """The providers that may apply to URLs of one scheme://host (most patterns name only a
    host, so this is decided once per host; the rest are checked on every URL)."""
    return tuple(provider for provider in providers() if provider.host.search(origin))


def is_tracking_param(name: str, url: str = "") -> bool:
    """A parameter name that tracks the reader: ClearURLs' rules for ``url`` (their global
    rules when no URL is given), or ``EXTRA_TRACKING``."""
    if name.lower() in EXTRA_TRACKING:
        return True
    candidates = _applicable(url) if url else [p for p in providers() if p.pattern.pattern == ".*"]
    return any(provider.params.fullmatch(name) for provider in candidates if provider.params)


def _applicable(url: str, needed=lambda provider: True) -> list[Provider]:
    """The providers that apply to ``url`` among those ``needed`` picks (cheap to ask first:
    the global rules alone have a hundred exceptions to try)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return [provider for provider in _providers_for(origin)
            if needed(provider) and provider.applies(url)]


def _remove_params(text: str, names) -> str:
    """``text`` (a query or fragment) without the ``name=value`` items ``names`` matches;
    kept items stay exactly as they were."""
    items = text.split("&")
    kept = [item for item in items if not _matches(item.split("=", 1)[0], names)]
    return text if len(kept) == len(items) else "&".join(kept)


def _matches(name: str, rules) -> bool:
    if not name:
        return False
    if name.lower() in EXTRA_TRACKING:
        return True
    return any(rule.fullmatch(name) for rule in rules)


def unwrap(url: str) -> str:
    """The target of a redirector link whose target is in the URL; else ``url``."""
    for _ in range(5):          # a redirect to a redirect, but never a loop
        target = _redirect_target(url)
        if not target or target == url:
            return url
        url = target
    return url


def _redirect_target(url: str) -> str | None:
    feedsportal = _FEEDSPORTAL.match(url)
    if feedsportal:
        decoded = _decode_feedsportal(feedsportal.group(1))
        return decoded if _is_web_url(decoded) else None
    for provider in _applicable(url, lambda provider: provider.redirections):
        for redirection in provider.redirections:
            match = redirection.search(url)
            if match and match.group(1):
                target = unquote(match.group(1))
                return target if _is_web_url(target) else None
    return None


def _decode_feedsportal(code: str) -> str:
    return re.sub(r"0([A-Z])", lambda match: _FEEDSPORTAL_CODES.get(match.group(1), match.group(0)),
                  code)


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def clean_link(url: str) -> str:
    """``url`` unwrapped and without tracking parameters; byte for byte when it has neither.
    Anything but an http(s) URL is returned as it is."""
    if not _is_web_url(url):
        return url
    url = unwrap(url)
    plain = "?" not in url and "#" not in url        # nothing for parameter rules to do
    applicable = _applicable(url, lambda provider: provider.raw_rules or (provider.params and not plain))
    for provider in applicable:
        for raw_rule in provider.raw_rules:
            url = raw_rule.sub("", url)
    if "?" not in url and "#" not in url:
        return url
    names = [provider.params for provider in applicable if provider.params]
    parts = urlsplit(url)
    query = _remove_params(parts.query, names) if parts.query else parts.query
    fragment = parts.fragment
    if fragment and "=" in fragment and not fragment.startswith(("!", "/")):
        fragment = _remove_params(fragment, names)
    if query == parts.query and fragment == parts.fragment:
        return url
    # Rebuilt by hand: urlunsplit drops an empty "?" and "#" that were there, which is fine
    # only when everything in them went.
    base = url.split("#", 1)[0].split("?", 1)[0]
    return base + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def published_link(url: str | None) -> str:
    """The link to publish for an entry: http(s) only (else ""), cleaned by ``clean_link``."""
    url = (url or "").strip()
    return clean_link(url) if _is_web_url(url) else ""


def is_dead_redirector(url: str) -> bool:
    return bool(DEAD_REDIRECTORS.match(url or ""))


def is_absolute_uri(value: str) -> bool:
    """A URI with a scheme (``https://...``, ``tag:...``, ``urn:...``): globally unique by
    design, unlike ``1`` or ``post-17``. An http(s) URI needs a host."""
    if not value or any(character.isspace() for character in value) or not _SCHEME.match(value):
        return False
    scheme = value.split(":", 1)[0].lower()
    return _is_web_url(value) if scheme in ("http", "https") else len(value) > len(scheme) + 1


def story_key(url: str | None) -> str:
    """The form two links are compared in to find one story: scheme, host case, default
    port, query encoding and tracking parameters do not count; a fragment counts only when
    it is a route (``#!/story/42``, ``#/story/42``)."""
    url = published_link(url)
    if not url:
        return ""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    fragment = parts.fragment if parts.fragment.startswith(("!", "/")) else ""
    return urlunsplit(("https", host, parts.path or "/", query, fragment))


def legacy_canonical_link(url: str | None) -> str:
    """The link rule of state versions up to 2 (the query decoded and re-encoded, the host
    lower-cased, the fragment dropped), kept only so posts written then keep their ids."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
             if not _legacy_tracking(key)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


_LEGACY_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid",
                    "yclid", "_hsenc", "_hsmi", "ref_src", "cmpid", "wt.mc_id", "ocid",
                    "ncid", "sr_share", "spm", "_ga", "mkt_tok", "oly_enc_id", "oly_anon_id",
                    "vero_id", "rss", "at_medium", "at_campaign"}


def _legacy_tracking(name: str) -> bool:
    return name.lower().startswith("utm_") or name.lower() in _LEGACY_TRACKING
