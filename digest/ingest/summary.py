"""The summary under a title in the listings: whole sentences, in the article's language.

Made from the entry's paragraphs only (``Cleaned.prose``: no headings, captions, tables or
code, so "Features We continue..." cannot happen), cut after the last whole sentence that
fits. Sentences end at . ! ? … and at the full stops of the scripts we meet (CJK 。！？,
Arabic ؟, Urdu ۔, Devanagari ।). A period after a known abbreviation ("Dr.", "z. B.",
"U.S.") or a single letter does not end a sentence. CJK text has no spaces and holds about
twice the meaning per character, so it is capped by characters at half the limit.

When no sentence ends within the limit, the first sentence is kept whole if it ends within
half as much again (CJK writers use long comma-joined sentences); only a first sentence longer
than that is cut inside, at a word (or, in CJK, at a character), with "…". A text the publisher already cut ("... and then […]") is treated
the same way: back to its last whole sentence, when there is one.
"""

from __future__ import annotations

import re

LIMIT = 280
CJK_LIMIT = 140
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# A sentence end: a terminal mark, closing quotes or brackets, then space (or, after a CJK
# or other script's full stop, anything).
_PUBLISHERS_CUT = re.compile(r"\s*(\[\s*(…|\.\.\.)\s*\]|…|\.\.\.|\[\.\.\.\])\s*$")
_END = re.compile(r"([.!?…]+[\"'”’»)\]]*)(?=\s)|([。！？؟۔।]+[\"'”’»)\]」』】]*)")
ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr vs etc inc ltd co corp no nr gen col lt sgt rev hon gov sen rep
jan feb mar apr jun jul aug sep sept oct nov dec approx ca cf eg ie al fig vol pp dept univ
bzw ca dr hr fr nr str usw vgl evtl ggf inkl bsp zb dh ua
stb ill kb pl ifj id
mme mlle mm env cf
sr sra srta dña ud uds
""".split())


def summarise(text: str, limit: int = LIMIT) -> str:
    """``text`` (plain, one line) cut after the last whole sentence within the limit."""
    text = " ".join(text.split())
    cjk = _is_cjk(text)
    limit = CJK_LIMIT if cjk else limit
    cut_by_publisher = bool(_PUBLISHERS_CUT.search(text))
    if len(text) <= limit and not cut_by_publisher:
        return text
    if cut_by_publisher:
        text = _PUBLISHERS_CUT.sub("", text)
        limit = min(limit, len(text))
    cut = _last_sentence_end(text, limit) or _last_sentence_end(text, limit * 3 // 2, first=True)
    if cut:
        return text[:cut].rstrip()
    if cut_by_publisher:
        return text + "…"
    return _cut_inside(text, limit, cjk)


def _last_sentence_end(text: str, limit: int, first: bool = False) -> int:
    """Where the last (or ``first``) whole sentence within ``limit`` ends; 0 if none does."""
    cut = 0
    for match in _END.finditer(text):
        end = match.end()
        if end > limit:
            break
        if match.group(1) and _is_abbreviation(text, match.start()):
            continue
        cut = end
        if first:
            break
    return cut


def _is_cjk(text: str) -> bool:
    sample = text[:200]
    return len(_CJK.findall(sample)) > len(sample) / 3


def _is_abbreviation(text: str, period: int) -> bool:
    if text[period] != ".":
        return False
    word = re.search(r"([^\s.(\"'“„«]+)\.?$", text[:period])
    if not word:
        return False
    token = word.group(1)
    if len(token) == 1 or re.fullmatch(r"(\w\.)+\w", token):     # "A." "U.S." "z.B."
        return True
    if token.isdigit():                     # German and Hungarian ordinals: "3. Oktober"
        following = text[period + 1:period + 3].strip()
        return bool(following) and following[0].islower()
    return token.casefold() in ABBREVIATIONS


def _cut_inside(text: str, limit: int, cjk: bool) -> str:
    if cjk:
        return text[:limit - 1].rstrip() + "…"
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"
