"""The appeal script's settings, written for the theme to put on every page.

``docs/javascripts/digest-appeal.js`` enhances the static appeal in the reader's browser: the
reader's own count of articles read, "Not now", the members' thank-you, the wordings to
compare, and the optional analytics events. It reads its settings from a JSON block that the
theme includes from ``digest-generated/appeal.html``; this module writes that file, with every
text in the site's language unless mkdocs.yml sets it (digest/support.py validates them).
Without the file, or without JavaScript or storage in the browser, the static appeal shows
as it is.
"""

from __future__ import annotations

import json

from digest.site.locale import Site
from digest.support import SCRIPT_TEXTS

APPEAL_FILE = "appeal.html"
CONFIG_ID = "digest-appeal-config"
# Inside a <script> block that is also a Jinja template: nothing may close the block or open
# a Jinja tag, so these characters are written as JSON escapes inside strings.
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "{": "\\u007b", "}": "\\u007d"}


def appeal_outputs(site: Site) -> dict[str, str]:
    """``appeal.html`` under the theme's generated folder: the script's settings as JSON, or
    nothing where ``support: false`` hides the appeal everywhere."""
    settings = site.settings
    if not settings.support.enabled:
        return {APPEAL_FILE: ""}
    block = (f'<script type="application/json" id="{CONFIG_ID}">'
             f"{template_safe_json(script_settings(site))}</script>\n")
    return {APPEAL_FILE: block}


def script_settings(site: Site) -> dict:
    """What the script needs to know, with every text resolved for the site's language."""
    settings = site.settings
    support = settings.support
    texts = {key: support.texts.get(key) or site.t("appeal_" + key, count="{count}")
             for key in SCRIPT_TEXTS}
    analytics = settings.analytics
    return {
        "texts": texts,
        "countFrom": settings.appeal_count_from,
        "dismissDays": settings.appeal_dismiss_days,
        "fullViews": settings.appeal_full_views,
        "memberDays": settings.member_days,
        # In the order mkdocs.yml gives them: a reader's bucket picks one by position.
        "wordings": [{"name": name, **wording} for name, wording in support.wordings.items()],
        "analytics": None if analytics is None else {
            "provider": analytics.provider, "endpoint": analytics.endpoint, "site": analytics.site},
    }


def template_safe_json(value) -> str:
    """``value`` as JSON whose strings carry no ``<``, ``>``, ``&``, ``{`` or ``}``."""
    if isinstance(value, dict):
        return "{" + ",".join(template_safe_json(str(key)) + ":" + template_safe_json(item)
                              for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(template_safe_json(item) for item in value) + "]"
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        for char, escape in _ESCAPES.items():
            text = text.replace(char, escape)
    return text
