"""dedupe: one post per story, by address and by near-identical title and text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from digest.ingest.dedupe import dedupe, fingerprint, jaccard, same_story
from digest.article import Article

DAY = datetime(2026, 11, 19, 8, 0, tzinfo=timezone.utc)

WIRE = ("The coastal road between Skerry Bay and Port Allan stayed closed on Thursday for a "
        "second day after Storm Bram washed away part of the sea wall, the highways agency said. "
        "Engineers expect to reopen one lane by Saturday. About 300 households on the peninsula "
        "are being supplied by boat.")


def article(id: str, title: str, text: str = "", source: str = "Courier", link: str = "",
            hours: float = 0) -> Article:
    return Article(id=id, title=title, link=link or f"https://{source.lower()}.example/{id}",
                   date=DAY + timedelta(hours=hours), source=source,
                   feed_url=f"https://{source.lower()}.example/feed", text=text, summary=text[:100])


def test_the_same_guid_twice_in_one_feed_is_one_post():
    first = article("g1", "Ferry route approved", WIRE)
    again = article("g1", "Ferry route approved (updated)", WIRE, link="https://courier.example/other")
    assert dedupe([first, again]) == [first]


def test_the_same_link_from_two_feeds_is_one_post_and_the_first_listed_wins():
    first = article("a-1", "Ferry route approved", source="Courier", link="https://news.example/ferry")
    second = article("b-9", "Council backs ferry", source="Post", link="https://news.example/ferry")
    assert dedupe([first, second]) == [first]


def test_a_link_already_on_disk_under_another_id_is_not_written_again():
    arriving = article("b-9", "Ferry", link="https://news.example/ferry")
    assert dedupe([arriving], known_links={"https://news.example/ferry": "a-1"}) == []


def test_an_update_of_our_own_post_is_not_a_duplicate():
    update = article("a-1", "Ferry (updated)", link="https://news.example/ferry")
    assert dedupe([update], known_links={"https://news.example/ferry": "a-1"}) == [update]


def test_a_story_republished_by_another_source_is_one_post_naming_the_other():
    first = article("c-1", "Storm Bram closes coastal road for a second day", WIRE, "Courier")
    other = article("p-7", "Storm Bram closes coastal road for second day",
                    WIRE.replace(" by boat", " by boat and helicopter"), "Post", hours=1)
    third = article("t-2", "Storm Bram closes the coastal road for a second day", WIRE, "Times", hours=2)
    (merged,) = dedupe([first, other, third])
    assert merged.id == "c-1"
    assert merged.also_reported_by == (("Post", other.link), ("Times", third.link))


def test_two_stories_on_the_same_topic_stay_two_posts():
    """The near miss: same storm, same places, same title words, different facts."""
    road = article("c-1", "Storm Bram closes coastal road for a second day", WIRE, "Courier")
    emergency = article("p-8", "Storm Bram closes coastal road, council declares emergency",
                        "The county council declared a local emergency on Thursday evening after "
                        "Storm Bram, freeing money for temporary housing for families whose homes "
                        "near Port Allan and Skerry Bay were flooded. The coastal road stayed closed.",
                        "Post", hours=3)
    assert dedupe([road, emergency]) == [road, emergency]
    prints = fingerprint(road), fingerprint(emergency)
    assert jaccard(prints[0].title_words, prints[1].title_words) >= 0.5   # close titles...
    assert not same_story(*prints)                                          # ...different text


def test_the_same_source_is_never_merged_with_itself():
    """A paper's follow-up reuses its own wording; that is a new story, not a republication."""
    first = article("c-1", "Storm Bram closes coastal road", WIRE, "Courier")
    follow_up = article("c-2", "Storm Bram closes coastal road", WIRE, "Courier", hours=5)
    assert len(dedupe([first, follow_up])) == 2


def test_stories_far_apart_in_time_are_not_merged():
    first = article("c-1", "Storm Bram closes coastal road", WIRE, "Courier")
    year_later = article("p-1", "Storm Bram closes coastal road", WIRE, "Post", hours=24 * 365)
    assert len(dedupe([first, year_later])) == 2


def test_title_only_entries_need_near_identical_titles():
    a = article("a", "Prime minister resigns after budget defeat", source="Courier")
    b = article("b", "Prime minister resigns after budget defeat", source="Post")
    c = article("c", "Prime minister survives budget vote", source="Times")
    (merged, kept) = dedupe([a, b, c])
    assert merged.also_reported_by == (("Post", b.link),) and kept is c


def test_a_summary_matches_the_full_text_it_was_cut_from():
    """Containment, not Jaccard: one source sends 40 words, the other the whole story."""
    full = WIRE + " " + " ".join(f"Residents described the night the wall gave way, part {n}." for n in range(30))
    summary_only = article("p-7", "Storm Bram closes coastal road for second day", WIRE[:200], "Post", hours=1)
    (merged,) = dedupe([article("c-1", "Storm Bram closes coastal road for a second day", full), summary_only])
    assert merged.also_reported_by == (("Post", summary_only.link),)


def post_on_disk(id: str, title: str, text: str, source: str, hours: float = 0):
    """What posts.load_posts gives for a post written last night (only the fields dedupe reads)."""
    from types import SimpleNamespace
    return SimpleNamespace(id=id, title=title, text=text, summary=text[:100], source=source,
                           date=DAY + timedelta(hours=hours), link=f"https://{source.lower()}.example/{id}")


def test_a_story_already_published_last_night_from_another_source_is_not_posted_again():
    yesterday = post_on_disk("c-1", "Storm Bram closes coastal road for a second day", WIRE, "Courier")
    late_copy = article("p-7", "Storm Bram closes coastal road for second day", WIRE, "Post", hours=20)
    different = article("p-8", "Storm Bram: fishermen count the cost",
                        "Fishermen in Port Allan say the storm destroyed a dozen boats and most of "
                        "the lobster pots set before the weekend, a loss put at half a million.", "Post", hours=20)
    assert dedupe([late_copy, different], known_posts=[yesterday]) == [different]


def test_an_update_of_a_post_on_disk_is_never_dropped_as_its_own_duplicate():
    on_disk = post_on_disk("c-1", "Storm Bram closes coastal road for a second day", WIRE, "Courier")
    update = article("c-1", "Storm Bram closes coastal road for a second day", WIRE, "Post", hours=2)
    assert dedupe([update], known_posts=[on_disk]) == [update]


def test_short_generic_titles_alone_never_merge():
    a = article("a", "Untitled", source="Courier")
    b = article("b", "Untitled", source="Post")
    c = article("c", "Episode 12", source="Podcast")
    d = article("d", "Episode 12", source="Radio")
    assert len(dedupe([a, b, c, d])) == 4
