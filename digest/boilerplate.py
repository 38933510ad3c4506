"""Publisher boilerplate: their "See also" interjections, membership appeals, share buttons.

Runs on the publisher's HTML before the sanitiser, because it needs classes and structure.
Rules are deliberately narrow (short blocks that *start* with a marker phrase, or match a
known class): removing a paragraph of real news is as much a bug as leaving an appeal in.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html
from lxml.etree import ParserError

SELECTORS = (
    ".share", ".sharing", ".social-share", ".sharedaddy", ".share-buttons", ".newsletter",
    ".newsletter-signup", ".related", ".related-posts", ".jp-relatedposts", ".feedflare",
    ".donate", ".membership", ".subscribe", "[class*='feedflare']",
)
# A block whose text starts with one of these is the publisher talking, not the story.
LEAD_PATTERNS = re.compile(
    r"^\s*(see also|read more|related|read also|also read|lesen sie auch|mehr zum thema|"
    r"lásd még|olvasd el|kapcsolódó|sign up for|subscribe to our|the post .+ appeared first on)\b",
    re.IGNORECASE,
)
# Membership and donation appeals, matched anywhere in a short block.
APPEAL_PATTERNS = re.compile(
    r"(support (us|our journalism|independent)|become a (member|supporter|subscriber)|"
    r"renew (your|our) membership|join (us|our membership)|donate (now|today)|"
    r"your support (keeps|helps|matters)|needs your support|stand by us|"
    r"unterstützen sie|támogass|tagság)",
    re.IGNORECASE,
)
BLOCKS = ("p", "div", "aside", "section", "blockquote", "li", "h2", "h3", "h4", "figure")
MAX_BOILERPLATE_CHARS = 400


def strip_boilerplate(fragment: str) -> str:
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return fragment
    for selector in SELECTORS:
        for element in tree.cssselect(selector):
            element.drop_tree()
    for element in list(tree.iter(*BLOCKS)):
        if element.getparent() is None:
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > MAX_BOILERPLATE_CHARS:
            continue
        if LEAD_PATTERNS.search(text) or APPEAL_PATTERNS.search(text):
            element.drop_tree()
    _drop_tracking_pixels(tree)
    return (tree.text or "") + "".join(lxml_html.tostring(child, encoding="unicode")
                                       for child in tree)


def _drop_tracking_pixels(tree) -> None:
    for image in tree.iter("img"):
        width, height = image.get("width", ""), image.get("height", "")
        if width.strip() in ("0", "1") or height.strip() in ("0", "1"):
            image.drop_tree()
