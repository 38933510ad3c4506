"""The membership appeal's settings (``extra.digest.support`` and ``analytics`` in mkdocs.yml),
validated with every problem named by its key.

The appeal is static HTML that every page shows as it is (heading, text, button, link, and a
category's variant of them); ``docs/javascripts/digest-appeal.js`` enhances it in the reader's
browser with the texts and wordings declared here. Texts left unset come from
``digest/site/labels.py`` in the site's language when ``digest pages`` writes the script's
settings (digest/site/appeal.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

# What the static block shows, per category variant too.
SUPPORT_KEYS = ("heading", "text", "button", "link")
# What only the script shows: the reader's count, the "Not now" control, the one-line form
# meanwhile, the "I'm already a member" control and the members' thank-you.
SCRIPT_TEXTS = ("count", "not_now", "quiet", "already_member", "thanks")
# What a wording (one arm of a comparison) may change; ``count: false`` leaves the count out.
WORDING_KEYS = ("heading", "text", "button", "count")
COUNT_PLACEHOLDER = "{count}"
WORDING_NAME = re.compile(r"[A-Za-z0-9_-]{1,40}$")

DEFAULTS = {
    "heading": "Support independent news",
    "text": "This digest is free to read and funded by its readers.",
    "button": "Become a member",
    "link": "support.md",
}


@dataclass(frozen=True)
class SupportAppeal:
    heading: str
    text: str
    button: str
    link: str
    variants: dict[str, dict[str, str]] = field(default_factory=dict)
    enabled: bool = True            # ``support: false`` in mkdocs.yml hides it everywhere
    texts: dict[str, str] = field(default_factory=dict)     # SCRIPT_TEXTS the publisher set
    wordings: dict[str, dict] = field(default_factory=dict)  # name -> WORDING_KEYS it sets

    def for_categories(self, categories) -> dict[str, str]:
        """heading, text, button and link for an article: the first category with a variant
        overrides what the variant sets (the theme's partial applies the same rule)."""
        values = {key: getattr(self, key) for key in SUPPORT_KEYS}
        for category in categories:
            if category in self.variants:
                values.update({key: value for key, value in self.variants[category].items() if value})
                break
        return values


@dataclass(frozen=True)
class Analytics:
    """A privacy-friendly analytics service that counts the appeal's views and clicks."""

    provider: str
    endpoint: str
    site: str


# provider -> its events address when the publisher names none (GoatCounter's is per site).
PROVIDERS = {
    "plausible": "https://plausible.io/api/event",
    "goatcounter": "",
    "umami": "https://cloud.umami.is/api/send",
}


def support_link_problem(value: str) -> str | None:
    # A page of the site (support.md, support.md#tiers) or an address a reader can follow.
    if re.match(r"(?i)(https?://|mailto:)\S+$", value) or not re.match(r"[A-Za-z][\w+.-]*:", value):
        return None
    return f"expected a page such as support.md or an https:// or mailto: address, got {value!r}"


def _text_problem(key: str, value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"expected non-empty text, got {value!r}"
    if key == "link":
        return support_link_problem(value)
    if key == "count" and COUNT_PLACEHOLDER not in value:
        return f"must contain {COUNT_PLACEHOLDER} where the number goes, got {value!r}"
    return None


def validate_support(raw: dict | bool) -> tuple[SupportAppeal, list[str]]:
    if isinstance(raw, bool):
        appeal, errors = validate_support({})
        return replace(appeal, enabled=raw), errors
    errors = []
    where = "extra.digest.support"
    known = (*SUPPORT_KEYS, *SCRIPT_TEXTS, "variants", "wordings")
    for key in sorted(set(raw) - set(known)):
        errors.append(f"{where}.{key}: unknown setting (known: {', '.join(known)})")
    values = {}
    for key in SUPPORT_KEYS:
        value = raw.get(key, DEFAULTS[key])
        problem = _text_problem(key, value)
        if problem:
            errors.append(f"{where}.{key}: {problem}")
            value = DEFAULTS[key]
        values[key] = value
    texts = {}
    for key in SCRIPT_TEXTS:
        if key in raw:
            problem = _text_problem(key, raw[key])
            if problem:
                errors.append(f"{where}.{key}: {problem}")
            else:
                texts[key] = raw[key]
    variants = _mapping(raw, "variants", "category", errors)
    for category, variant in variants.items():
        errors += _overrides_problems(f"{where}.variants.{category}", variant, SUPPORT_KEYS)
    wordings = _mapping(raw, "wordings", "name", errors)
    if len(wordings) == 1:
        errors.append(f"{where}.wordings: give two or more wordings to compare, or none")
    for name, wording in wordings.items():
        if not WORDING_NAME.match(str(name)):
            errors.append(f"{where}.wordings.{name}: a wording's name is letters, digits, - and _ "
                          "(it names the wording in the analytics events)")
        if wording is not None:     # an empty wording: the appeal as configured above it
            errors += _overrides_problems(f"{where}.wordings.{name}", wording, WORDING_KEYS)
    wordings = {str(name): dict(wording) if isinstance(wording, dict) else {}
                for name, wording in wordings.items()}
    return SupportAppeal(variants=variants, texts=texts, wordings=wordings, **values), errors


def _mapping(raw: dict, key: str, of: str, errors: list[str]) -> dict:
    value = raw.get(key, {}) or {}
    if not isinstance(value, dict):
        errors.append(f"extra.digest.support.{key}: expected a mapping of {of} to settings")
        return {}
    return value


def _overrides_problems(where: str, overrides, keys: tuple[str, ...]) -> list[str]:
    if not isinstance(overrides, dict):
        return [f"{where}: expected a mapping"]
    problems = [f"{where}.{key}: unknown setting" for key in sorted(set(overrides) - set(keys))]
    for key in sorted(set(overrides) & set(keys)):
        if key == "count" and overrides[key] is False:
            continue                # this wording leaves the reader's count out
        problem = _text_problem(key, overrides[key])
        if problem:
            problems.append(f"{where}.{key}: {problem}")
    return problems


def analytics_problem(value: dict) -> str | None:
    if not value:
        return None
    unknown = sorted(set(value) - {"provider", "endpoint", "site"})
    if unknown:
        return f"unknown setting {unknown[0]!r} (known: provider, endpoint, site)"
    provider = value.get("provider")
    if provider not in PROVIDERS:
        return f"provider: expected one of {', '.join(PROVIDERS)}, got {provider!r}"
    endpoint = value.get("endpoint", PROVIDERS[provider])
    if not isinstance(endpoint, str) or not re.match(r"https://[^\s/]+/\S*$", endpoint):
        return (f"endpoint: expected the https:// address events are sent to "
                f"(for GoatCounter https://CODE.goatcounter.com/count), got {endpoint!r}")
    site = value.get("site", "")
    if provider != "goatcounter" and (not isinstance(site, str) or not site.strip()):
        return ("site: expected the site's domain as Plausible knows it, or Umami's website id, "
                f"got {site!r}")
    return None


def resolve_analytics(value: dict) -> Analytics | None:
    """The validated ``analytics`` setting with its default endpoint; None when unset."""
    if not value:
        return None
    provider = value["provider"]
    return Analytics(provider=provider, endpoint=value.get("endpoint", PROVIDERS[provider]),
                     site=str(value.get("site", "")))
