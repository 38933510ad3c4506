"""Language codes as pages use them: the writing direction of a language.

One owner for the rule, read by the site (``dir`` on article pages, listing entries and
feed items) from the ``language`` that ingest writes into each post.
"""

from __future__ import annotations

# Languages written right to left (ISO 639-1 and the 639-3 codes feeds use for them).
RTL = frozenset(("ar", "arc", "ckb", "dv", "fa", "he", "iw", "ku", "ps", "sd", "syr", "ug",
                 "ur", "yi", "ji", "prs", "pnb"))


def direction(language: str) -> str:
    """"rtl" or "ltr" for a language tag such as "ur", "ar-EG" or "fa_IR"."""
    primary = language.replace("_", "-").split("-", 1)[0].lower()
    return "rtl" if primary in RTL else "ltr"
