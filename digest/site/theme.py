"""The site's URL rules, handed to the theme as a template ``digest pages`` writes.

The theme (overrides/) is Jinja and cannot import ``digest.site.urls``; Zensical's templates
have no Python string methods either. So the rules the theme needs are written out from
urls.py, one file, ``digest-generated/urls.html``: the theme sets ``digest_url`` to the
value it wants and includes the file (``{% set href %}{% include ... %}{% endset %}``).
The rules then have one owner, and the theme holds no file name, prefix length or link
rewriting of its own. Without the file (``digest pages`` not run yet, so no feeds and no
fragments either) every value is empty and the theme falls back as it says.
"""

from __future__ import annotations

import json

from digest.config import Settings
from digest.site.urls import (ARTICLE_FRAGMENTS, FRAGMENT_FILE, FRAGMENTS_DIR, SITE_ATOM, SITE_RSS,
                              fragment_prefix_length, is_external, support_path)

URLS_TEMPLATE = "urls.html"         # under the theme's digest-generated/
DEFAULT_SUPPORT_LINK = "support.md"  # what the appeal partial assumes without a setting


def jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal (backslash escapes, as in Python)."""
    return json.dumps(text, ensure_ascii=False)


def support_links(settings: Settings) -> list[str]:
    """Every link the appeal partial can meet: the default, the setting, each variant's."""
    links = [DEFAULT_SUPPORT_LINK, settings.support.link]
    links += [variant.get("link", "") for variant in settings.support.variants.values()]
    return list(dict.fromkeys(link for link in links if link))


def support_rule(settings: Settings) -> str:
    """The appeal's ``link`` as published: a page of the site relative to the page showing it
    (the ``url`` filter), an outside address as it is."""
    branches = []
    for link in support_links(settings):
        path = support_path(link, settings.use_directory_urls)
        value = jinja_string(path) if is_external(link) else f"{jinja_string(path)} | url"
        branches.append(f"link == {jinja_string(link)} %}}{{{{ {value} }}}}")
    return "{%- if " + "{% elif ".join(branches) + "{% endif -%}"


def urls_template(settings: Settings) -> str:
    prefix = fragment_prefix_length(settings.posts_dir)
    fragments = f"{FRAGMENTS_DIR}/{ARTICLE_FRAGMENTS}/"
    return "\n".join([
        "{#- Written by `digest pages` from digest/site/urls.py: edit that, not this file. -#}",
        '{%- if digest_url == "site_rss" -%}',
        f"{SITE_RSS}",
        '{%- elif digest_url == "site_atom" -%}',
        f"{SITE_ATOM}",
        '{%- elif digest_url == "fragments" -%}',
        f"{fragments}{{{{ page.url[:{prefix}] }}}}{FRAGMENT_FILE}",
        '{%- elif digest_url == "support" -%}',
        support_rule(settings),
        "{%- endif -%}",
        "",
    ])


def theme_outputs(settings: Settings) -> dict[str, str]:
    """The generated templates, by path under the theme's ``digest-generated/``."""
    return {URLS_TEMPLATE: urls_template(settings)}
