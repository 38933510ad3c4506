"""Audit: what the real feeds become, counted by defect class (issue 17, and issue 12 item 9).

Every entry of every feed in ../shared/corpus/real/ goes through our parse and normalise
(full text on, as the worst case for junk), and each post is compared with its original
entry. The checks here are written independently of the rules in digest/ingest: they are
the reviewer's, not the code's, so a rule that misses something shows up as a count.

It also reviews the other side: every block the boilerplate rules remove is counted, and
the long ones (the ones most likely to be news) are printed for a person to read
(``--removed FILE`` writes all of them).

    .venv/bin/python bench/content_audit.py [--corpus PATH] [--removed FILE] [--examples N]

Without the corpus it says so and exits 0.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lxml import html as lxml_html  # noqa: E402

from digest.ingest import boilerplate  # noqa: E402
from digest.ingest.feedlist import FeedSource  # noqa: E402
from digest.ingest.normalise import FeedOptions, normalise_entry  # noqa: E402
from digest.ingest.parse import NotAFeed, parse_feed  # noqa: E402

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)

# --- the reviewer's patterns (deliberately not the code's) --------------------------------
READ_ON = re.compile(
    r"(continue reading|keep reading|read more|read the rest|read the full|weiterlesen|"
    r"lire la suite|lire plus|leia mais|continuar lendo|continue lendo|leer más|seguir leyendo|"
    r"continua a leggere|leggi tutto|читать далее|подробнее|lees verder|läs mer|les mer|"
    r"czytaj dalej|devamını oku|tovább|阅读全文|阅读更多|続きを読む|더 보기)\s*[.…»›→>)\]]*$",
    re.IGNORECASE)
APPEARED = re.compile(
    r"(appeared first on|first appeared on|apareceu primeiro em|apareceu primeiro no|"
    r"est apparu en premier sur|first published on|erschien zuerst auf|apareció primero en|"
    r"è apparso per la prima volta su|verscheen eerst op|pojawił się najpierw|"
    r"впервые появилась|появилась сначала на|megjelent először)", re.IGNORECASE)
REDDIT = re.compile(r"submitted by .{0,120}\[link\].{0,20}\[comments\]", re.IGNORECASE | re.DOTALL)
PROMO = re.compile(
    r"(download (our|the) app|get (our|the) app|follow us on|like us on facebook|"
    r"find us on (facebook|twitter)|folgen sie uns|suivez-nous|síguenos|siga-nos|"
    r"available on the app store|google play)", re.IGNORECASE)
SHARE_LINK = re.compile(
    r"(facebook\.com/sharer|twitter\.com/(intent|share|home\?status)|x\.com/intent|"
    r"linkedin\.com/share|pinterest\.com/pin/create|reddit\.com/submit|plus\.google\.com/share|"
    r"api\.whatsapp\.com/send|digg\.com/submit|stumbleupon\.com/submit|del\.icio\.us/post|"
    r"feedsportal\.com/viral/)",
    re.IGNORECASE)
EMPTY_LINK = re.compile(r"(?<!!)\[\s*\]\([^)]*\)")
# Issue 12 item 9: a short bold call to support, then membership or a subscription at a price.
BOLD_LEAD = re.compile(r"^\s*(\*\*|__)(?P<lead>[^*\n]{3,80})(\*\*|__)")
SUPPORT_WORDS = re.compile(
    r"(support|member|subscri|donat|contribut|unterstütz|mitglied|abonn|spende|támogat|"
    r"tag(ság|unk)|előfizet|soutenez|adhér|apoy|suscri|socio|assin|apoie|sostieni|abbonat|"
    r"поддерж|подпи)", re.IGNORECASE)
PRICE = re.compile(r"([$€£¥]\s?\d|\d[\d.,]*\s?(€|\$|£|eur\b|euro|usd|dollar|pound|ft\b|forint|"
                   r"руб|₽|kr\b|zł|chf)|\bper (month|year)\b|/\s?(month|year|mo|yr)\b|"
                   r"pro (monat|jahr)|par mois|havonta|al mes|por mês)", re.IGNORECASE)

SENTENCE_END = tuple(".!?。！？…:;\"'”’»)]】」』")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
GLUED = re.compile(r"[a-z]{2}[.?!][A-Z][a-z]")
ESCAPED_TAG = re.compile(r"<[A-Za-z/][^<>]{0,40}>")
SERIAL_NAME = re.compile(r"^[^,]+(, [^,]+)*,? (and|&|und|et|y|és|e) [^,]+$", re.IGNORECASE)
UNCATEGORISED = {"uncategorized", "uncategorised", "non classé", "sin categoría", "sem categoria",
                 "allgemein", "general", "без рубрики", "egyéb", "未分类"}
BLOCK_TAGS = ("p", "div", "aside", "section", "blockquote", "li", "h1", "h2", "h3", "h4", "h5",
              "h6", "figure", "figcaption", "table", "tr", "td", "th", "pre", "footer", "header", "br")


CLASSES = (
    "2 junk: read-on link/line", "2 junk: 'appeared first on'", "2 junk: app/follow promo",
    "2 junk: empty link", "2 junk: reddit 'submitted by'", "2 junk: share links",
    "2 posts with any junk", "3 summary cut mid-sentence", "3   of them CJK",
    "3   of them the publisher's own cut",
    "3 summary glued to heading/caption", "4 post without language",
    "5 dated at fetch time (guessed)", "5   with a date string or link date",
    "5   listed as the fetch day's news", "6 escaped text lost", "7 code block flattened",
    "7 <h1> in entry lost as heading", "7 layout table as Markdown table",
    "7 sentences glued together", "7 literal asterisks (unbalanced emphasis)",
    "8 full text took a poorer part", "9 category comma-joined", "9 category truncated",
    "9 category 'Uncategorized'", "9 author is a URL/avatar", "9 author cut mid-name",
    "10 images (all)", "10 image without referrerpolicy", "10 image over plain http",
    "10 image without alt text", "10   alt empty (decorative: no title or caption)", "10 entries with a media:content image",
    "10 media:content image never shown", "i12.9 appeal: bold call + price")


class Audit:
    def __init__(self, examples: int):
        self.posts = self.entries_with_parts = 0
        self.counts: Counter[str] = Counter(dict.fromkeys(CLASSES, 0))
        self.feeds: dict[str, set[str]] = defaultdict(set)
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.keep = examples
        self.removed: list[tuple[str, str]] = []

    def hit(self, key: str, feed: str, example: str = "") -> None:
        self.counts[key] += 1
        self.feeds[key].add(feed)
        if example and len(self.examples[key]) < self.keep:
            self.examples[key].append(f"{feed}: {example[:160]!r}")


def entry_source_html(entry) -> str:
    parts = [part.get("value", "") for part in entry.get("content") or []]
    return "\n".join(parts + [entry.get("summary", "") or ""])


def parse_fragment(fragment: str):
    fragment = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", fragment or "<p></p>")
    try:
        return lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return None


def spaced_text(tree) -> str:
    """The text a reader of the original sees: blocks kept apart, no script or frame text."""
    for element in list(tree.iter("script", "style", "noscript", "template", "iframe", "textarea",
                                  "object", "svg", "title")):
        element.drop_tree()
    for element in tree.iter(*BLOCK_TAGS):
        element.tail = " " + (element.tail or "")
        if element.tag == "br":
            continue
        element.text = " " + (element.text or "")
    return " ".join(tree.text_content().split())


FENCED = re.compile(r"^(`{3,})[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def paragraphs(markdown: str) -> list[str]:
    """The Markdown's paragraphs, fenced code blocks left out."""
    return FENCED.sub("", markdown).split("\n\n")


def visible_text(fragment: str) -> str:
    tree = parse_fragment(fragment)
    if tree is None:
        return fragment
    for element in list(tree.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    return " ".join(tree.text_content().split())


def audit_entry(audit: Audit, feed_name: str, entry, article) -> None:
    body, text = article.body, article.text
    source_html = entry_source_html(entry)
    tree = parse_fragment(source_html)
    blocks = paragraphs(body)
    # 2: publisher junk
    junk = False
    for block in blocks:
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", block).strip()
        if len(plain) < 160 and READ_ON.search(plain.rstrip("* _")):
            audit.hit("2 junk: read-on link/line", feed_name, plain); junk = True
        if APPEARED.search(block) and len(plain) < 400:
            audit.hit("2 junk: 'appeared first on'", feed_name, plain); junk = True
        if len(plain) < 200 and PROMO.search(plain):
            audit.hit("2 junk: app/follow promo", feed_name, plain); junk = True
        lead = BOLD_LEAD.match(block)
        if lead and SUPPORT_WORDS.search(lead.group("lead")) and PRICE.search(block) and len(plain) < 700:
            audit.hit("i12.9 appeal: bold call + price", feed_name, plain); junk = True
    if EMPTY_LINK.search(body):
        audit.hit("2 junk: empty link", feed_name, EMPTY_LINK.search(body).group(0)); junk = True
    if REDDIT.search(text):
        audit.hit("2 junk: reddit 'submitted by'", feed_name, text[-120:]); junk = True
    if SHARE_LINK.search(body):
        audit.hit("2 junk: share links", feed_name, SHARE_LINK.search(body).group(0)); junk = True
    if junk:
        audit.hit("2 posts with any junk", feed_name)
    # 3: summaries
    summary = article.summary
    if summary.endswith("…") and not summary[:-1].rstrip().endswith(SENTENCE_END):
        audit.hit("3 summary cut mid-sentence", feed_name, summary[-60:])
        if CJK.search(summary):
            audit.hit("3   of them CJK", feed_name, summary[-40:])
        # The publisher's own excerpt, already cut with "…" and no whole sentence in it: the
        # entry does not carry what a whole-sentence summary needs.
        source = visible_text(entry.get("summary") or "")
        if re.search(r"(…|\.\.\.|\[…\]|\[\.\.\.\])\s*$", source) and \
                " ".join(summary[:-1].split())[:40] in " ".join(source.replace("<", "‹").replace(">", "›").split()):
            audit.hit("3   of them the publisher's own cut", feed_name, source[-60:])
    if tree is not None:
        for element in tree.iter("h1", "h2", "h3", "h4", "figcaption", "nav"):
            heading = " ".join(element.text_content().split())
            if len(heading) >= 8 and summary.startswith(heading) and len(summary) > len(heading) + 20:
                audit.hit("3 summary glued to heading/caption", feed_name, summary[:80])
                break
    # 4: language
    if not article.language:
        audit.hit("4 post without language", feed_name)
    # 5: dates
    guessed = getattr(article, "date_guessed", None)
    if guessed is None:
        guessed = any(note.startswith(("no entry date", "no date at all")) for note in article.notes)
    if article.date == NOW.replace(microsecond=0) or guessed:
        audit.hit("5 dated at fetch time (guessed)", feed_name, entry.get("published") or entry.get("updated") or "")
        raw = entry.get("published") or entry.get("updated") or entry.get("dc_date") or ""
        if raw or re.search(r"/(19|20)\d\d[/-]\d\d?[/-]\d\d?/", entry.get("link", "")):
            audit.hit("5   with a date string or link date", feed_name, raw or entry.get("link", ""))
        if not getattr(article, "date_guessed", False):
            audit.hit("5   listed as the fetch day's news", feed_name)
    # 6: escaped text
    if tree is not None:
        original = spaced_text(parse_fragment(source_html))
        shown = text.replace("‹", "<").replace("›", ">")
        for match in ESCAPED_TAG.finditer(original):
            if match.group(0) not in shown:
                audit.hit("6 escaped text lost", feed_name, match.group(0))
                break
    # 7: structure
    if tree is not None:
        pres = [pre for pre in tree.iter("pre") if pre.text_content().strip().count("\n") >= 1]
        if pres and "```" not in body and "    " not in body:
            audit.hit("7 code block flattened", feed_name, pres[0].text_content()[:60])
        if any(True for _ in tree.iter("h1")) and not re.search(r"^#{1,6} ", body, re.MULTILINE):
            audit.hit("7 <h1> in entry lost as heading", feed_name)
    if re.search(r"^\|[^\n]*[^|\n]{300,}[^\n]*\|$", body, re.MULTILINE):
        audit.hit("7 layout table as Markdown table", feed_name)
    if tree is not None:
        original = spaced_text(parse_fragment(source_html))
        for match in GLUED.finditer(text):
            if match.group(0) not in original:
                audit.hit("7 sentences glued together", feed_name, text[max(0, match.start() - 20):match.end() + 10])
                break
    for block in blocks:
        unescaped = re.sub(r"\\\*|`[^`]*`", "", block)
        if unescaped.count("**") % 2 == 1:
            audit.hit("7 literal asterisks (unbalanced emphasis)", feed_name, block[:80])
            break
    # 8: which content part
    parts = [part for part in entry.get("content") or [] if part.get("value")]
    candidates = [part["value"] for part in parts if "html" in (part.get("type") or "")]
    if entry.get("summary") and "html" in (entry.get("summary_detail") or {}).get("type", "html"):
        candidates.append(entry["summary"])
    if len(parts) > 1 or (parts and entry.get("summary")):
        richest = max((len(visible_text(c)) for c in candidates), default=0)
        if richest > 2 * len(text) + 200:
            audit.hit("8 full text took a poorer part", feed_name, f"{len(text)} of {richest} chars")
    # 9: metadata
    for category in article.categories:
        # "Arts, Culture and Entertainment" is one (IPTC) name, not a list.
        if "," in category and not SERIAL_NAME.search(category):
            audit.hit("9 category comma-joined", feed_name, category)
        if category.endswith("…"):
            audit.hit("9 category truncated", feed_name, category)
        if category.casefold() in UNCATEGORISED:
            audit.hit("9 category 'Uncategorized'", feed_name, category)
    if re.search(r"https?://|www\.|\.(png|jpe?g|gif)\b", article.author, re.IGNORECASE):
        audit.hit("9 author is a URL/avatar", feed_name, article.author)
    if article.author.endswith("…"):
        audit.hit("9 author cut mid-name", feed_name, article.author)
    # 10: images
    images = re.findall(r"<img\s[^>]*>", body)
    for image in images:
        audit.counts["10 images (all)"] += 1
        if "referrerpolicy=" not in image:
            audit.hit("10 image without referrerpolicy", feed_name)
        if 'src="http://' in image:
            audit.hit("10 image over plain http", feed_name)
        if "alt=" not in image:
            audit.hit("10 image without alt text", feed_name)
        elif 'alt=""' in image:
            audit.hit("10   alt empty (decorative: no title or caption)", feed_name)
    lead = [media.get("url") for media in entry.get("media_content") or []
            if media.get("url") and (media.get("medium") == "image" or (media.get("type") or "").startswith("image/")
                                     or re.search(r"\.(jpe?g|png|gif|webp)(\?|$)", media.get("url"), re.IGNORECASE))]
    if lead:
        audit.counts["10 entries with a media:content image"] += 1
        shown = getattr(article, "image", "") or ""
        if not shown and not any(url.split("?")[0] in body for url in lead):
            audit.hit("10 media:content image never shown", feed_name)


def review_removals(audit: Audit, feed_name: str, entry) -> None:
    """Every element the boilerplate rules remove from this entry (the outermost one of each
    removal, with its whole text), for a person to review."""
    for part in [part.get("value", "") for part in entry.get("content") or []] + [entry.get("summary", "")]:
        tree = parse_fragment(part)
        if tree is None:
            continue
        texts, parents = {}, {}
        for number, element in enumerate(tree.iter()):
            if element is tree or not isinstance(element.tag, str):
                continue
            element.set("data-audit", str(number))
            texts[str(number)] = " ".join(element.text_content().split())
            parents[str(number)] = element.getparent().get("data-audit")
        boilerplate.strip_boilerplate(tree)
        left = {element.get("data-audit") for element in tree.iter() if isinstance(element.tag, str)}
        for number, text in texts.items():
            if number not in left and (parents[number] is None or parents[number] in left) and text:
                audit.removed.append((feed_name, text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "real")
    parser.add_argument("--removed", type=Path, help="write every block the rules remove here")
    parser.add_argument("--examples", type=int, default=0, help="examples to print per class")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to audit")
        return
    audit = Audit(args.examples)
    for path in sorted(args.corpus.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(args.corpus))
        try:
            feed = parse_feed(path.read_bytes(), {}, "https://feeds.example/" + name)
        except NotAFeed:
            continue
        source = FeedSource("https://feeds.example/" + name, None, name)
        for entry in feed.entries:
            article = normalise_entry(entry, feed, source, NOW, FeedOptions(full_text=True))
            audit.posts += 1
            audit_entry(audit, name, entry, article)
            review_removals(audit, name, entry)
    print(f"{audit.posts} posts from {args.corpus}\n")
    print(f"| {'defect class':<44} | {'posts/values':>12} | {'feeds':>5} |")
    print(f"| {'-' * 44} | {'-' * 12}: | {'-' * 5}: |")
    for key in CLASSES:
        print(f"| {key:<44} | {audit.counts[key]:>12} | {len(audit.feeds.get(key, ())):>5} |")
    long_ones = [(feed, text) for feed, text in audit.removed if len(text) > 200]
    print(f"\nblocks removed by the boilerplate rules: {len(audit.removed)} "
          f"({len(long_ones)} over 200 characters, listed for review)")
    for feed, text in long_ones[:40]:
        print(f"  {feed}: {text[:200]!r}")
    if args.removed:
        args.removed.write_text("".join(f"{feed}\t{text}\n" for feed, text in audit.removed), encoding="utf-8")
    for key, examples in sorted(audit.examples.items()):
        if not examples:
            continue
        print(f"\n{key}:")
        for example in examples:
            print(f"  {example}")


if __name__ == "__main__":
    main()
