"""Publisher boilerplate: their "See also" interjections, appeals, share buttons, flare.

Runs on the publisher's HTML (an lxml tree) before the sanitiser, because it needs classes
and structure. Removing a paragraph of real news is as much a bug as leaving an appeal in,
so every text rule is narrow:

- only *short* blocks are candidates (a paragraph of news is rarely under 400 characters and
  an interjection rarely over), and a block that holds other blocks is never judged as one;
- a lead marker ("See also", "Read more", "Lesen Sie auch" ...) counts only when it is set
  apart from what follows (a colon, a dash, two spaces, a line end) or the block is mostly a
  link: "Read more than 300 pages ..." is a sentence, "Read more: <a>...</a>" is not;
- an appeal must ask the reader for something ("become a member today", "renew your
  membership", "stand by us") and not be reported speech (quotation marks, "said"): a
  paragraph quoting a striker's "stand by us" is news. The publisher's softer sentences
  around an appeal ("we ask you, our readers") go only together with one, never alone.

- a publisher's appeal set as a short bold call ("**Support the Gazette.**") that goes on to
  offer membership or a subscription *at a price* goes whole, up to 700 characters: the
  bold lead, the offer and the price together are what no news paragraph has;
- links to share endpoints (facebook.com/sharer ...) go, with the table or box they leave
  empty; so do reddit's "submitted by /u/x [link] [comments]" footers and short "follow us
  on" / "get our app" promos.

A publication adds its own rules per feed in ``mkdocs.yml`` (``extra.digest.feed_options``):
CSS selectors to remove and text patterns (regular expressions) whose short blocks go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml.cssselect import CSSSelector

from digest.config import feed_rules_problem

# Elements with one of these classes go (the default rules; a feed adds CSS selectors).
# Matched as class tokens in one pass, not as 30 CSS selectors: ten times faster.
CLASSES = frozenset((
    # share buttons
    "share", "shares", "sharing", "social-share", "sharedaddy", "share-buttons",
    "sharethis", "addtoany", "a2a_kit", "shariff", "social-buttons",
    # newsletter sign-up boxes
    "newsletter", "newsletter-signup", "newsletter-box", "mc4wp-form", "subscribe-box",
    "subscribe", "signup-box",
    # related-stories widgets
    "related", "related-posts", "related-articles", "jp-relatedposts", "yarpp-related",
    "crp_related", "read-more-box", "more-link",
    # appeals
    "donate", "donation", "membership", "support-us", "support-box", "paywall",
    # feedburner flare, Blogger's feed footer (ads)
    "feedflare", "blogger-post-footer",
))
# Links that are feed flare or feed ads, whatever their class.
FLARE_LINKS = ("feeds.feedburner.com/~ff/", "feeds.feedburner.com/~a/", "feedads.g.doubleclick.net")
_MARKERS = (
    r"see also|read more|read also|also read|read next|more on this( story| topic)?|"
    r"related( articles?| stories| posts| coverage| reading| content)?|recommended( reading)?|"
    r"you (may|might) also like|lesen sie auch|lesen sie mehr|mehr zum thema|weiterlesen|"
    r"lásd még|olvasd el|olvasd el ezt is|kapcsolódó|ajánló|ezt is ajánljuk|voir aussi|lire aussi|à lire aussi|"
    r"lee también|leer más|vea también|leia também|leggi anche|zie ook|lees ook|"
    r"читайте также|см\. также|смотрите также|читать далее|延伸阅读|相关阅读|相关文章|阅读更多|"
    r"関連記事|관련 기사"
)
# A marker, set apart from what follows: punctuation, two spaces, or the end of the block.
LEAD = re.compile(rf"^\s*({_MARKERS})(\s*[:：\-–—»›|>]|\s{{2,}}|\s*$)", re.IGNORECASE)
# A marker that opens a block which is mostly a link: "Read more <a>story</a>".
LEAD_WORD = re.compile(rf"^\s*({_MARKERS})\b", re.IGNORECASE)
# "The post X appeared first on Y" (WordPress/Yoast's RSS footer) as its translations say it.
POSTED = re.compile(
    r"^\s*(the post .+ appeared first on .+|.+ is a post from:? .+|"
    r"(this|the) (article|post|entry) .{0,80}first appeared on .+|"
    r"der beitrag .+ erschien zuerst auf .+|"
    r"(l['’]article|cet article|le billet) .+ est apparu en premier sur .+|"
    r"(la entrada|el post|la publicación|el artículo) .+ (se publicó|apareció) primero en .+|"
    r"(o post|a postagem|o artigo) .+ apareceu primeiro (em|no|na) .+|"
    r"l['’]articolo .+ (proviene da|sembra essere il primo su) .+|"
    r"het bericht .+ verscheen eerst op .+|"
    r"a(z)? .+ bejegyzés (először|eredetileg) .+ jelent meg.*|"
    r"(запись|сообщение|статья) .+ (впервые |сначала )?появил(ась|ось|ись|ся) (впервые |сначала )?на .+|"
    r"(artykuł|wpis) .+ (pochodzi z serwisu|pojawił się (po raz )?pierwszy (raz )?(w|na)) .+)$",
    re.IGNORECASE | re.DOTALL,
)
# Asking the reader for money, membership or a sign-up.
APPEAL = re.compile(
    r"(support (our|independent|quality) (journalism|reporting|media|news)|"
    r"become an? (member|supporter|subscriber|patron|donor)( today| now|!)|"
    r"(please|consider|why not) becom(e|ing) an? (member|supporter|subscriber|patron)|"
    r"renew (your|our) (membership|subscription)|join (our membership|us today|as a member)|"
    r"(donate|give) (now|today)|make a (donation|contribution)|"
    r"your (support|contribution|donation) (keeps|helps|matters|makes)|"
    r"needs? your support|stand by us|chip in|"
    r"subscribe (now|today|to our newsletter)|sign up (for|to) (our|the) newsletter|"
    r"get our newsletter|"
    r"unterstützen sie (uns|unseren|unsere)|jetzt (mitglied werden|spenden|abonnieren)|"
    r"werden sie (jetzt |auch )?(mitglied|abonnent|unterstützer)|braucht (ihre|deine) unterstützung|"
    r"newsletter abonnieren|"
    r"támogass(on|a|átok)? (minket|bennünket|a)|legyen (a )?tagunk|tagság(unk|ot)|"
    r"légy (te is )?(a )?tagunk|szüksége van a (te )?támogatásodra|"
    r"soutenez[- ]nous|faites un don|abonnez[- ]vous|"
    r"hazte (socio|miembro)|suscríbete|apoya (nuestro|el) periodismo|"
    r"поддержите (нас|редакцию)|подпишитесь)",
    re.IGNORECASE,
)
# Promotion of the publisher's app or social accounts, in a short block of its own.
PROMO = re.compile(
    r"^\W*(follow us (on|at)|(download|get) (our|the)( free)? app|like us on facebook|"
    r"find us on (facebook|twitter|instagram)|folgen sie uns|laden sie (unsere|die) app|"
    r"suivez-nous|téléchargez (notre|l['’])app|síguenos|descarga (nuestra|la) app|siga-nos|"
    r"baixe (o|nosso) app|seguici su|scarica (la|l['’])app|volg ons|kövess(en)? minket|"
    r"töltsd le (az|a) (alkalmazás|appot)|подписывайтесь на нас|скачайте (наше )?приложение)",
    re.IGNORECASE)
# Issue 12 item 9: "**Support the Gazette.** Become a member for €5 a month ...". All three
# parts are needed: a short bold lead that asks for support, an offer, and a price.
BOLD_CALL = re.compile(
    r"^\W*(please |now |today |jetzt |bitte )?("
    r"(support|back|fund)(?! for\b)(?! of\b)\s+\w|help (us|keep|fund|sustain)|stand with us|"
    r"join (us|our|the)|become an? |subscribe|keep .{1,40} (free|independent|going)|"
    r"unterstütz|werde[nt]? .{0,20}mitglied|abonnier|"
    r"támogass|támogasd|támogassa|légy|legyen (a )?tag|csatlakozz|fizess elő|"
    r"soutenez|soutenir|abonnez|rejoignez|aidez|"
    r"apoya|apóyanos|suscríbete|hazte|únete|ayúdanos|"
    r"apoie|assine|ajude|junte-se|sostieni|abbonati|aiutaci|steun|word lid|abonneer|"
    r"поддерж|подпиш|помогите)", re.IGNORECASE)
OFFER = re.compile(
    r"(member|subscri|supporter|patron|abonn|mitglied|förder|tagság|tagunk|előfizet|adhér|"
    r"socio|miembro|suscrip|assinatura|assinante|abbonament|lidmaatschap|word lid|lid worden|"
    r"\babo\b|подписк|"
    r"членств)", re.IGNORECASE)
PRICE = re.compile(
    r"([$€£¥₽]\s?\d|\d[\d.,]*\s?([$€£₽]|eur\b|euro|usd\b|dollar|pound|ft\b|forint|руб|"
    r"chf\b|kr\b|zł)|\b(a|per|each) (month|year|week)\b|\bmonthly\b|/\s?(month|year|mo|yr)\b|"
    r"pro (monat|jahr)|im monat|monatlich|havonta|havi \d|évente|par (mois|an)\b|al (mes|año)\b|"
    r"por (mes|mês|ano)\b|al mese|all['’]anno|per maand|в месяц|в год)", re.IGNORECASE)
MAX_BOLD_APPEAL_CHARS = 700
MAX_BOLD_LEAD_CHARS = 100
SHARE_LABEL_CHARS = 30      # "Tweet", "Share on Facebook"; longer link text is the article's
# Where a share button points: never article text, whatever its class.
SHARE_ENDPOINTS = re.compile(
    r"(facebook\.com/(sharer|share\.php|dialog/share)|"
    r"(twitter|x)\.com/(intent/(tweet|retweet|favorite|like)\b|share\b|home\?status)|"
    r"linkedin\.com/(share|cws/share)|pinterest\.com/pin/create|reddit\.com/submit|"
    r"plus\.google\.com/share|api\.whatsapp\.com/send|wa\.me/\?text|telegram\.me/share|"
    r"t\.me/share|vk\.com/share|digg\.com/submit|stumbleupon\.com/submit|del\.icio\.us/post|"
    r"tumblr\.com/share|getpocket\.com/save|mailto:\?subject|feedsportal\.com/viral/)", re.IGNORECASE)
# A link that only says "read on" ("Continue reading" may carry the title), standing last in
# its paragraph: never article text.
READ_ON_LINK = re.compile(
    r"^\W*((read more|read the rest|read the full (story|article)|weiterlesen|mehr lesen|"
    r"lire la suite|lire plus|tovább|tovább olvasom|leer más|seguir leyendo|sigue leyendo|"
    r"leia mais|continuar lendo|continue lendo|continua a leggere|leggi tutto|lees verder|"
    r"läs mer|les mer|czytaj dalej|devamını oku|читать далее|подробнее|阅读全文|続きを読む)"
    r"[\s.…:»›→>)\]]*$|(continue|keep) reading\b)", re.IGNORECASE)
# An inline "See also:" label (strong, em ...) followed by a link, inside a paragraph.
INLINE_LABEL = re.compile(rf"^\s*({_MARKERS})\s*[:：\-–—»›|]?\s*$", re.IGNORECASE)
INLINE_TAGS = ("strong", "b", "em", "i", "span")
# Reported speech is news, never an appeal: "'Stand by us,' the mayor said."
REPORTED_SPEECH = re.compile(r"[\"“”„«»]|\b(said|says|told|according to|sagte|mondta|a déclaré)\b",
                             re.IGNORECASE)
# The publisher's softer words around an appeal; removed only next to an APPEAL block.
APPEAL_CONTEXT = re.compile(
    r"(our readers|we ask you|we promise|independent (editorial|newsroom|journalism|media|press)|"
    r"stay afloat|free press|without a paywall|thank you for (reading|your support)|"
    r"every (euro|dollar|pound|forint)|readers like you|"
    r"unsere leser|olvasóink|független (szerkesztőség|sajtó|újságírás)|köszönjük, hogy|"
    r"nos lecteurs|qualitätsjournalismus)",
    re.IGNORECASE,
)
# Words one of the rules above needs (each rule's every alternative contains one). Most
# articles hold none, and then no block is read: a substring test is ~50x faster than the
# big case-insensitive alternations, which matters at thousands of entries a night.
LEAD_WORDS = (
    "see also", "read more", "read also", "also read", "read next", "related", "recommended",
    "you may also", "you might also", "more on this", "lesen sie",
    "mehr zum thema", "weiterlesen", "lásd még", "olvasd el", "kapcsolódó", "ajánló", "ajánljuk",
    "voir aussi", "lire aussi", "lee también", "leer más", "vea también", "leia também",
    "leggi anche", "zie ook", "lees ook", "также", "читать далее", "延伸阅读", "相关阅读",
    "相关文章", "阅读更多", "関連記事", "관련 기사", "appeared first on", "is a post from",
    "first appeared on", "continue reading", "keep reading", "read the rest", "read the full",
    "lire la suite", "tovább", "continua a leggere", "阅读全文", "erschien zuerst", "en premier sur",
    "primero en", "apareceu primeiro", "proviene da", "il primo su", "verscheen eerst",
    "jelent meg", "появил", "pochodzi z", "pojawił się", "mehr lesen", "lire plus", "leyendo",
    "leia mais", "continuar lendo", "continue lendo", "leggi tutto", "lees verder", "läs mer",
    "les mer", "czytaj dalej", "devamını oku", "подробнее", "続きを読む")
APPEAL_WORDS = (
    "support our", "support independent", "support quality", "become a", "becoming a",
    "renew your", "renew our", "join our", "join us", "join as", "donate", "give now",
    "give today", "make a donation", "make a contribution", "your support", "your contribution",
    "your donation", "needs your", "need your", "stand by us", "chip in", "subscribe now",
    "subscribe today", "subscribe to our", "sign up for", "sign up to", "get our newsletter",
    "unterstützen sie", "jetzt mitglied", "jetzt spenden", "jetzt abonnieren",
    "newsletter abonnieren", "werden sie", "braucht ihre", "braucht deine", "támogass", "tagunk",
    "tagság", "támogatásodra", "soutenez", "faites un don",
    "abonnez", "hazte", "suscríbete", "apoya", "поддержите", "подпишитесь",
    # promos
    "follow us", "our app", "the app", "free app", "notre app", "l'app", "l’app", "la app",
    "o app", "nosso app", "unsere app", "die app", "like us", "find us", "folgen sie", "suivez", "síguenos", "siga-nos",
    "seguici", "volg ons", "kövess", "alkalmazás", "подписывайтесь", "приложение")
BLOCKS = ("p", "div", "aside", "section", "blockquote", "li", "h2", "h3", "h4", "h5", "h6",
          "figure", "ul", "ol", "table", "footer")
MAX_BOILERPLATE_CHARS = 400
LINK_SHARE = 0.6            # a block this much link text is a link box, not prose


@dataclass(frozen=True)
class Rules:
    """What to remove from one feed's HTML: the defaults plus the feed's own."""

    selector: CSSSelector | None = None          # the feed's own selectors, if any
    patterns: tuple[re.Pattern, ...] = ()


@lru_cache(maxsize=256)
def make_rules(extra_selectors: tuple[str, ...] = (), extra_patterns: tuple[str, ...] = ()) -> Rules:
    """Compile once per feed; raises ValueError naming a bad selector or pattern."""
    problem = feed_rules_problem(extra_selectors, extra_patterns)
    if problem:
        raise ValueError(problem)
    patterns = [re.compile(pattern, re.IGNORECASE) for pattern in extra_patterns]
    selector = CSSSelector(", ".join(extra_selectors)) if extra_selectors else None
    return Rules(selector, tuple(patterns))


DEFAULT_RULES = make_rules()


def strip_boilerplate(tree, rules: Rules = DEFAULT_RULES) -> None:
    """Remove the publisher's boilerplate from an lxml tree, in place."""
    _drop_by_class_and_link(tree)
    _drop_share_links(tree)
    _drop_reddit_footer(tree)
    if rules.selector is not None:
        for element in rules.selector(tree):
            if element is not tree and element.getparent() is not None:
                element.drop_tree()
    whole = tree.text_content().casefold()
    leads = any(word in whole for word in LEAD_WORDS)
    appeals_possible = any(word in whole for word in APPEAL_WORDS)
    bold_leads = tree.find(".//b") is not None or tree.find(".//strong") is not None
    if not leads and not appeals_possible and not bold_leads and not rules.patterns:
        return
    if leads:
        _drop_inline_interjections(tree)
    appeals = []
    for element in list(tree.iter(*BLOCKS)):
        if element is tree or element.getparent() is None or _holds_blocks(element):
            continue
        text = " ".join(element.text_content().split())
        if not text or len(text) > MAX_BOLD_APPEAL_CHARS:
            continue
        if bold_leads and is_bold_appeal(element, text):
            appeals.append(element)
            continue
        if len(text) > MAX_BOILERPLATE_CHARS:
            continue
        raw = element.text_content().strip()
        if (leads and is_interjection(raw, element)) or any(p.search(text) for p in rules.patterns):
            element.drop_tree()
        elif appeals_possible and (APPEAL.search(text) or PROMO.search(text)) and not REPORTED_SPEECH.search(text):
            appeals.append(element)
    for element in appeals:
        _drop_appeal(element)


def is_bold_appeal(element, text: str) -> bool:
    """A block opening with a short bold call to support that offers membership at a price."""
    if (element.text or "").strip() or not len(element) or element[0].tag not in ("b", "strong"):
        return False
    lead = " ".join(element[0].text_content().split())
    return (0 < len(lead) <= MAX_BOLD_LEAD_CHARS and bool(BOLD_CALL.search(lead))
            and bool(OFFER.search(text)) and bool(PRICE.search(text)))


def _drop_share_links(tree) -> None:
    """Share buttons by where they point; a box or table they leave empty goes too."""
    for link in list(tree.iter("a")):
        if link.getparent() is None or not SHARE_ENDPOINTS.search(link.get("href") or ""):
            continue
        parent = link.getparent()
        if len(" ".join(link.text_content().split())) > SHARE_LABEL_CHARS:
            link.drop_tag()       # "click to tweet" around a quote: the quote is the article's
            continue
        link.drop_tree()
        while (parent is not None and parent is not tree and not parent.text_content().strip()
               and parent.find(".//img") is None):
            grandparent = parent.getparent()
            parent.drop_tree()
            parent = grandparent


def _drop_reddit_footer(tree) -> None:
    """reddit's "submitted by /u/name [link] [comments]": from "submitted by" to the end."""
    comments = [link for link in tree.iter("a") if link.text_content().strip() == "[comments]"]
    if not comments or "submitted by" not in tree.text_content():
        return
    for node in tree.iter():
        for attribute in ("text", "tail"):
            value = getattr(node, attribute) or ""
            if "submitted by" not in value or node is None:
                continue
            if attribute == "tail":
                owner, start = node.getparent(), node
            else:
                owner, start = node, None
            setattr(node, attribute, value[:value.index("submitted by")].rstrip() or None)
            siblings = list(owner)
            first = siblings.index(start) + 1 if start is not None else 0
            for sibling in siblings[first:]:
                owner.remove(sibling)
            return


def _drop_by_class_and_link(tree) -> None:
    doomed = [element for element in tree.xpath("descendant::*[@class]")
              if not CLASSES.isdisjoint(element.get("class").split())
              or "feedflare" in element.get("class")]
    doomed += [link for link in tree.iter("a")
               if any(flare in (link.get("href") or "") for flare in FLARE_LINKS)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


def _drop_inline_interjections(tree) -> None:
    """Inside a paragraph: a "Read more" link, or a "See also:" label and the link after it."""
    for link in list(tree.iter("a")):
        text = link.text_content().strip()
        following = link.getnext()
        last = ((following is None or (isinstance(following.tag, str) and following.tag in BLOCKS))
                and not (link.tail or "").strip(" .…»›→)]\u00a0\n"))
        if last and link.getparent() is not None and len(text) <= 120 and READ_ON_LINK.match(text):
            link.drop_tree()
    for label in list(tree.iter(*INLINE_TAGS)):
        if label.getparent() is None or not INLINE_LABEL.match(label.text_content()):
            continue
        following = label.getnext()
        between = (label.tail or "").strip(" :：-–—\u00a0")
        if following is not None and following.tag == "a" and not between:
            following.drop_tree()
            label.drop_tree()


def is_interjection(text: str, element=None) -> bool:
    """A "See also"/"Read more" line or "The post X appeared first on Y"."""
    if POSTED.match(text) or LEAD.match(text):
        return True
    if element is not None and LEAD_WORD.match(text):
        return _link_share(element, len(text)) >= LINK_SHARE
    return False


def _drop_appeal(element) -> None:
    """The appeal block and the publisher's softer sentences right beside it."""
    if element.getparent() is None:
        return
    for step in ("getprevious", "getnext"):
        neighbour = getattr(element, step)()
        while neighbour is not None and _is_appeal_context(neighbour):
            following = getattr(neighbour, step)()
            neighbour.drop_tree()
            neighbour = following
    element.drop_tree()


def _is_appeal_context(element) -> bool:
    if not isinstance(element.tag, str) or element.tag not in BLOCKS or _holds_blocks(element):
        return False
    text = " ".join(element.text_content().split())
    return 0 < len(text) <= MAX_BOILERPLATE_CHARS and bool(
        APPEAL_CONTEXT.search(text) or APPEAL.search(text))


def _holds_blocks(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in BLOCKS and child.tag not in ("ul", "ol")
               for child in element) and element.tag not in ("ul", "ol")


def _link_share(element, text_length: int) -> float:
    linked = sum(len(link.text_content().strip()) for link in element.iter("a"))
    return linked / max(text_length, 1)
