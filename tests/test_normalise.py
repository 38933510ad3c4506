"""normalise: a feed entry -> Article, every fallback in one place and noted."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from digest.ingest.boilerplate import make_rules
from digest.ingest.entry_fields import CategoryPolicy
from digest.ingest.feedlist import FeedSource
from digest.ingest.normalise import FeedOptions, feed_options, first_paragraphs, normalise_entry
from digest.ingest.parse import parse_feed
from tests.helpers import digest, fetch_site, pagefind_records, small_cms

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
SOURCE = FeedSource("https://feeds.example/news.xml", None, "feeds.txt:1")


def rss(items: str, channel: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Example News</title>'
            f"<link>https://news.example/</link>{channel}{items}</channel></rss>").encode()


def articles(items: str, channel: str = "", options: FeedOptions = FeedOptions()):
    feed = parse_feed(rss(items, channel), {}, SOURCE.url)
    return [normalise_entry(entry, feed, SOURCE, NOW, options) for entry in feed.entries]


def one(item: str, channel: str = "", options: FeedOptions = FeedOptions()):
    (article,) = articles(f"<item>{item}</item>", channel, options)
    return article


def test_a_link_that_is_not_http_is_dropped_with_a_warning():
    article = one("<title>T</title><link>javascript:alert(1)</link><guid>g1</guid>")
    assert article.link == ""
    assert article.warnings == ("link 'javascript:alert(1)' is not http(s): kept no link",)


def test_dates_fall_back_published_updated_feed_fetch_time_each_noted():
    published = one("<title>a</title><guid>1</guid><pubDate>Thu, 19 Nov 2026 10:00:00 +0100</pubDate>")
    assert published.date == datetime(2026, 11, 19, 9, 0, tzinfo=timezone.utc) and published.notes == ()
    updated = articles("<item><title>b</title><guid>2</guid><dc:date>2026-11-18T08:00:00Z</dc:date></item>")[0]
    assert updated.date == datetime(2026, 11, 18, 8, 0, tzinfo=timezone.utc)
    from_feed = one("<title>c</title><guid>3</guid>",
                    channel="<lastBuildDate>Wed, 18 Nov 2026 07:00:00 GMT</lastBuildDate>")
    assert from_feed.date == datetime(2026, 11, 18, 7, 0, tzinfo=timezone.utc)
    assert from_feed.notes == ("no entry date: used the feed's date",)
    fetch_time = one("<title>d</title><guid>4</guid>")
    assert fetch_time.date == NOW and fetch_time.notes == ("no date at all: used the fetch time",)
    for article in (published, updated, from_feed, fetch_time):
        assert article.date.tzinfo is not None


def test_a_date_far_in_the_future_is_clamped_and_reported():
    article = one('<title>a</title><guid isPermaLink="false">1</guid><pubDate>Sat, 01 Jan 2099 00:00:00 GMT</pubDate>')
    assert article.date == NOW
    assert article.warnings == ("date 2099-01-01T00:00:00+00:00 is in the future: clamped to the fetch time",)
    assert article.date_guessed           # so the post keeps its first night's date


def test_id_is_the_guid_else_the_link_else_a_stable_hash():
    assert one("<title>a</title><guid>urn:x:1</guid><link>https://n.example/a</link>").id == "urn:x:1"
    by_link = one("<title>a</title><link>https://n.example/a?utm_source=x</link>")
    assert by_link.id == "https://n.example/a" and "no GUID: id from the link" in by_link.notes
    item = "<title>a</title><pubDate>Thu, 19 Nov 2026 10:00:00 GMT</pubDate>"
    first, again = one(item), one(item)
    assert first.id.startswith("urn:digest:") and first.id == again.id
    assert one(item.replace(">a<", ">b<")).id != first.id


def test_an_undated_entry_without_guid_or_link_keeps_its_id_from_night_to_night():
    feed = parse_feed(rss("<item><title>a</title><description>Text.</description></item>"), {}, SOURCE.url)
    tonight = normalise_entry(feed.entries[0], feed, SOURCE, NOW)
    tomorrow = normalise_entry(feed.entries[0], feed, SOURCE, NOW.replace(day=21))
    assert tonight.date != tomorrow.date and tonight.id == tomorrow.id
    other_feed = FeedSource("https://other.example/feed.xml", None, "feeds.txt:2")
    assert normalise_entry(feed.entries[0], feed, other_feed, NOW).id != tonight.id


def test_authors_come_from_names_not_addresses():
    assert one("<title>a</title><guid>1</guid><author>desk@news.example (Ada Byron)</author>").author == "Ada Byron"
    assert one("<title>a</title><guid>1</guid><dc:creator>Ben &lt;b&gt;Okri&lt;/b&gt;</dc:creator>").author == "Ben Okri"


def test_categories_are_plain_deduplicated_capitalised_and_capped():
    tags = "".join(f"<category>{name}</category>" for name in
                   ["politics", "Politics", " &lt;b&gt;World&lt;/b&gt; ", "#economy", "a", "b", "c", "d"])
    article = one(f"<title>a</title><guid>1</guid>{tags}")
    assert article.categories == ("Politics", "World", "Economy", "A", "B")


def test_author_e_mail_addresses_are_never_published():
    assert one("<title>a</title><guid>1</guid><author>desk@news.example</author>").author == ""


def test_categories_are_mapped_and_limited_to_the_allowed_set():
    policy = CategoryPolicy(mapping=(("belföld", "Home news"), ("us news", "World")),
                            allowed=("Home news", "World", "Sport"))
    tags = "".join(f"<category>{name}</category>" for name in ["Belföld", "US News", "sport", "Gossip"])
    article = one(f"<title>a</title><guid>1</guid>{tags}", options=FeedOptions(categories=policy))
    assert article.categories == ("Home news", "World", "Sport")


def test_language_comes_from_the_entry_else_the_feed_and_is_checked():
    assert one("<title>a</title><guid>1</guid>", channel="<language>en_GB</language>").language == "en-GB"
    assert one("<title>a</title><guid>1</guid>", channel="<language>not a language!</language>").language == ""
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>F</title>'
            b'<entry xml:lang="fr"><title>a</title><id>1</id><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>')
    feed = parse_feed(atom, {}, SOURCE.url)
    assert normalise_entry(feed.entries[0], feed, SOURCE, NOW).language == "fr"


def test_summary_and_reading_time():
    words = " ".join(["word"] * 450)
    article = one(f"<title>a</title><guid>1</guid><description>&lt;p&gt;{words}&lt;/p&gt;</description>")
    assert article.reading_time == 3
    assert len(article.summary) <= 280 and article.summary.endswith("…")


def test_summary_only_is_the_default_and_keeps_whole_leading_paragraphs():
    paragraphs = "".join(f"&lt;p&gt;Paragraph {n} {'text ' * 70}&lt;/p&gt;" for n in range(5))
    item = f"<title>a</title><guid>1</guid><description>{paragraphs}</description>"
    short, full = one(item), one(item, options=FeedOptions(full_text=True))
    assert "Paragraph 0" in short.body and "Paragraph 1" not in short.body and not short.full_text
    assert "Paragraph 4" in full.body and full.full_text
    assert short.reading_time == full.reading_time == 2   # the whole story's, 360 words


def test_first_paragraphs_never_cuts_inside_one():
    text = "one two three\n\nfour five six\n\nseven"
    assert first_paragraphs(text, words=4) == "one two three\n"
    assert first_paragraphs("a b c d e f", words=2) == "a b c d e f\n"


def test_titles_are_plain_text_and_a_missing_title_uses_the_text():
    assert one("<title>&lt;script&gt;alert(1)&lt;/script&gt;Budget &amp;amp; tax</title><guid>1</guid>").title == "Budget & tax"
    untitled = one("<guid>1</guid><description>The river rose by two metres overnight.</description>")
    assert untitled.title == "The river rose by two metres overnight."
    assert "no title: used the start of the text" in untitled.notes


def test_feed_options_are_found_by_url_or_display_name():
    settings = SimpleNamespace(
        full_text=False, category_map={"Belföld": "Home"}, categories=["Home"],
        feed_options={"https://feeds.example/a.xml": {"full_text": True},
                      "The Courier": {"remove": [".promo"], "remove_text": ["^advert"]}})
    by_url = feed_options(FeedSource("https://feeds.example/a.xml", None, "x"), settings)
    by_name = feed_options(FeedSource("https://feeds.example/b.xml", "The Courier", "x"), settings)
    default = feed_options(FeedSource("https://feeds.example/c.xml", None, "x"), settings)
    assert by_url.full_text and not by_name.full_text and not default.full_text
    assert by_name.rules == make_rules((".promo",), ("^advert",))
    assert default.rules == make_rules()
    assert by_url.categories.apply("belföld") == "Home" and by_url.categories.apply("Sport") is None


@pytest.mark.parametrize("raw, message", [
    ({"feed_options": {"Courier": {"remove": ["div["]}}},
     "extra.digest.feed_options: Courier: not a CSS selector: 'div['"),
    ({"feed_options": {"Courier": {"remove_text": ["(x"]}}},
     "extra.digest.feed_options: Courier: not a regular expression: '(x'"),
    ({"feed_options": {"Courier": {"remove_txt": ["x"]}}},
     "extra.digest.feed_options: Courier: expected a mapping with full_text, remove, remove_text"),
    ({"feed_options": {"Courier": {"full_text": "yes"}}},
     "extra.digest.feed_options: Courier: full_text must be true or false"),
    ({"category_map": {"Sport": 1}}, "extra.digest.category_map: expected text -> text"),
    ({"categories": ["Sport", 2]}, "extra.digest.categories: expected a list of text"),
])
def test_bad_feed_options_name_the_feed_and_the_problem(raw, message):
    from digest.config import validate_digest_options
    _, errors = validate_digest_options(raw)
    assert len(errors) == 1 and errors[0].startswith(message)


# -- issue 17: dates, parts, metadata, language, lead image ----------------------------------

def test_a_date_feedparser_cannot_read_is_read_leniently_and_not_guessed():
    article = one("<title>a</title><guid>p1</guid><pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate>")
    assert article.date == datetime(2018, 9, 24, 22, 42, 40, tzinfo=timezone.utc)
    assert not article.date_guessed


def test_a_date_in_the_link_is_used_before_guessing():
    article = one("<title>a</title><link>https://news.example/2026/11/02/ferry/</link>")
    assert article.date == datetime(2026, 11, 2, 12, 0, tzinfo=timezone.utc)
    assert not article.date_guessed and "date taken from the link" in article.notes


def test_an_undated_entry_is_marked_guessed():
    assert one("<title>a</title><guid>p2</guid>").date_guessed


ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/"><title>T</title><id>urn:t</id>'
        '<updated>2026-11-19T08:00:00Z</updated>{}</feed>')


def atom_article(entry: str, options: FeedOptions = FeedOptions(full_text=True)):
    feed = parse_feed(ATOM.format(f"<entry><id>urn:e1</id><title>Ferry</title>"
                                  f"<updated>2026-11-19T08:00:00Z</updated>{entry}</entry>").encode(), {}, SOURCE.url)
    return normalise_entry(feed.entries[0], feed, SOURCE, NOW, options)


def test_full_text_takes_the_richest_html_part_not_a_caption_or_a_plain_copy():
    story = "<p>" + "The ferry will run twice a day from April, the council said. " * 20 + "</p>"
    article = atom_article(f'<content type="text">Boats at the quay in 2021.</content>'
                           f'<content type="html"><![CDATA[{story}]]></content>')
    assert article.text.startswith("The ferry will run") and len(article.text) > 1000


def test_the_summary_is_used_when_it_is_richer_than_the_content():
    article = atom_article('<content type="text">A caption.</content>'
                           '<summary type="html">&lt;p&gt;The council voted to run a ferry to the '
                           'islands from April, ending a two-year gap.&lt;/p&gt;</summary>')
    assert article.text.startswith("The council voted")


def test_plain_text_content_stays_text():
    article = atom_article('<content type="text">Use the &lt;div&gt; tag for layout.</content>')
    assert article.text == "Use the <div> tag for layout."
    assert article.body == "Use the &lt;div\\> tag for layout.\n"


@pytest.mark.parametrize("tags, expected", [
    (["Environment, Fisheries, Politics"], ("Environment", "Fisheries", "Politics")),
    (["Arts, Culture and Entertainment"], ("Arts, Culture and Entertainment",)),
    (["Uncategorized", "Ferries"], ("Ferries",)),
    (["Allgemein", "Non classé", "Harbour"], ("Harbour",)),
    (["Politics, Latin America, United…"], ("Politics", "Latin America")),
    (["rbb around the bloc westsydneyfootball aleague western sydney wanderers podcast episode 12"], ()),
])
def test_categories_are_split_and_cleaned(tags, expected):
    categories = "".join(f"<category>{tag}</category>" for tag in tags)
    assert one(f"<title>a</title><guid>c</guid>{categories}").categories == expected


@pytest.mark.parametrize("author, expected", [
    ("https://files.example/images/2020/01/avatar.jpg", ""),
    ("Taverncast: www.taverncast.example, Taverncast", "Taverncast"),
    ("www.caogen.example", ""),
    ("Ada Byron, https://ada.example/", "Ada Byron"),
])
def test_authors_that_are_addresses_or_avatars_are_dropped(author, expected):
    assert one(f"<title>a</title><guid>a</guid><dc:creator>{author}</dc:creator>").author == expected


def test_a_long_author_list_is_cut_after_a_whole_name():
    names = ", ".join(f"Surname{n}, A. B." for n in range(30))
    author = one(f"<title>a</title><guid>a</guid><dc:creator>{names}</dc:creator>").author
    assert author.startswith("Surname0, A. B., Surname1, A. B.") and author.endswith(", A. B. et al.")
    assert len(author) <= 200


def test_language_is_detected_where_the_feed_is_silent():
    urdu = one("<title>فیری سروس</title><guid>u</guid><description>کونسل نے منگل کو جزیروں کے لیے "
               "فیری چلانے کے حق میں ووٹ دیا اور کہا کہ کرایہ بس کے برابر ہوگا۔</description>")
    assert urdu.language == "ur"
    said = one("<title>Ferry</title><guid>e</guid><description>Die neue Fähre verbindet den Hafen mit "
               "der Altstadt.</description>", channel="<language>de-AT</language>")
    assert said.language == "de-AT"
    assert one("<title>Ok</title><guid>s</guid><description>Yes.</description>").language == ""


def test_the_lead_image_is_shown_at_the_top_with_its_caption_as_alt():
    # As El País sends it: the photo's caption as a text/plain part beside the story.
    article = atom_article('<media:content url="http://img.example/2026/ferry.jpg" medium="image"/>'
                           '<content type="text">The new ferry at the quay</content>'
                           '<content type="html">&lt;p&gt;The ferry runs from April.&lt;/p&gt;</content>')
    assert article.body.startswith('<img src="https://img.example/2026/ferry.jpg" alt="The new ferry at the quay" '
                                   'loading="lazy" referrerpolicy="no-referrer">')
    assert article.image == "https://img.example/2026/ferry.jpg"
    untitled = atom_article('<media:content url="https://img.example/b.jpg" medium="image"/>'
                            '<content type="html">&lt;p&gt;The ferry runs.&lt;/p&gt;</content>')
    assert 'alt="Ferry"' in untitled.body          # no caption: the headline describes it


def test_a_lead_image_already_in_the_text_is_not_shown_twice():
    article = atom_article('<media:thumbnail url="https://img.example/ferry.jpg"/>'
                           '<content type="html">&lt;p&gt;&lt;img src="https://img.example/ferry.jpg" '
                           'alt="Ferry"&gt;The ferry runs.&lt;/p&gt;</content>')
    assert article.body.count("<img") == 1 and article.image == "https://img.example/ferry.jpg"


# --- ids: a GUID that is not a URI belongs to its feed (a real `digest fetch`) ---------------

def test_two_feeds_with_the_same_plain_guid_are_two_stories(site, feed_server):
    valley = feed_server.add("/valley.xml", small_cms("valley", [("1", "Valley school reopens"),
                                                                 ("2", "Valley bridge closes")]))
    coast = feed_server.add("/coast.xml", small_cms("coast", [("1", "Coast ferry timetable changes")]))
    (site / "feeds.txt").write_text(f"{valley}\n{coast}\n", encoding="utf-8")

    posts = fetch_site(site)

    assert sorted(title for title, _ in posts.values()) == [
        "Coast ferry timetable changes", "Valley bridge closes", "Valley school reopens"]
    assert posts["valley.example#1"] == ("Valley school reopens", valley)
    assert posts["coast.example#1"] == ("Coast ferry timetable changes", coast)

    # A later night: the coast's story 1 changes; the valley's post is not touched.
    feed_server.add("/coast.xml", small_cms("coast", [("1", "Coast ferry timetable changes again")]))
    posts = fetch_site(site)
    assert posts["valley.example#1"] == ("Valley school reopens", valley)
    assert posts["coast.example#1"] == ("Coast ferry timetable changes again", coast)


REDDIT_LIKE = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>newest submissions : homelab</title>
<link rel="alternate" href="https://forum.example/r/homelab/new/"/><id>/r/homelab/new/.rss</id>
<updated>2026-11-23T10:00:00+00:00</updated>
<entry><id>t3_157kx9b</id><title>{title}</title>
<link href="https://forum.example/r/homelab/comments/157kx9b/ups_for_a_rack/"/>
<published>2026-11-23T09:00:00+00:00</published><updated>2026-11-23T09:00:00+00:00</updated>
<content type="html">&lt;p&gt;Which UPS do you run for a small rack at home?&lt;/p&gt;</content></entry>
</feed>"""


def test_a_feed_that_moves_keeps_its_ids(site, feed_server):
    """Atom ids like reddit's t3_157kx9b are kept as written and scoped by the feed's site, not
    resolved against the feed's URL: after a move the post is updated in place."""
    old = feed_server.add("/r/homelab/new/.rss", REDDIT_LIKE.format(title="UPS for a rack"),
                          content_type="application/atom+xml")
    (site / "feeds.txt").write_text(f"{old}\n", encoding="utf-8")
    assert fetch_site(site) == {"forum.example/r/homelab/new#t3_157kx9b": ("UPS for a rack", old)}

    moved = feed_server.add("/feeds/homelab-new.atom", REDDIT_LIKE.format(title="UPS for a rack (solved)"),
                            content_type="application/atom+xml")
    (site / "feeds.txt").write_text(f"{moved}\n", encoding="utf-8")
    posts = fetch_site(site)
    assert list(posts) == ["forum.example/r/homelab/new#t3_157kx9b"]
    assert posts["forum.example/r/homelab/new#t3_157kx9b"][0] == "UPS for a rack (solved)"


# --- control characters never reach a page's front matter ---------------------------------

@pytest.mark.slow
def test_control_characters_in_feed_text_leave_listing_pages_valid(site, feed_server):
    """U+0081 in a category, a title and the feed's name (found in real feeds) once made
    category and source pages' front matter invalid YAML, which MkDocs drops silently (so
    `search: exclude` and `hide` were lost while --strict passed)."""

    import yaml

    from digest.store import frontmatter
    from tests.helpers import mkdocs_build

    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            "<title>Napi\u0081 H\u00edrek</title><link>https://napi.example/</link><description>x</description>"
            "<item><title>A v\u00e1ros\u0081 h\u00edrei</title><link>https://napi.example/1</link>"
            "<guid>https://napi.example/1</guid><category>Kult\u0081\u00fara</category>"
            "<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate>"
            "<description>A story about the town.\u0081</description></item></channel></rss>")
    url = feed_server.add("/napi.xml", feed)
    (site / "feeds.txt").write_text(f"{url}\n", encoding="utf-8")
    fetch_site(site)

    listings = [path for folder in ("categories", "sources")
                for path in (site / "docs" / folder).rglob("*.md")]
    assert listings
    for path in listings + list((site / "docs" / "posts").rglob("*.md")):
        front = frontmatter.split(path.read_text(encoding="utf-8"))[0]
        assert "\u0081" not in front, path
        meta = yaml.safe_load(front)
        assert isinstance(meta, dict) and meta["title"], path
    category = (site / "docs" / "categories" / "kultura.md").read_text(encoding="utf-8")

    def meta_of(text: str) -> dict:
        return yaml.safe_load(frontmatter.split(text)[0])
    assert meta_of(category)["title"] == "Kultúra"

    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    assert digest(site, "publish").returncode == 0
    records = pagefind_records(site / "site")
    assert records and not any(url.startswith(("/categories/", "/sources/")) for url in records)
