"""Editor's notes: digest.store.notes reads them (file name = day, front matter = heading),
digest.site.notes puts them on the day's digest and the front page, links rebased."""

from __future__ import annotations

import re
from datetime import date

from digest.store.notes import parse_note
from digest.site.notes import rebased
from tests.helpers import build_pages, configure, read_doc


def test_a_note_is_read_by_its_day_with_its_heading_and_text():
    note, problems = parse_note("---\ntitle: Good morning\n---\n\nThe *tide* is the story.\n",
                                "notes/2021-05-13.md", "docs/notes/2021-05-13.md")
    assert problems == []
    assert (note.day, note.title, note.text) == (date(2021, 5, 13), "Good morning", "The *tide* is the story.")
    bare, _ = parse_note("Just a line.\n", "notes/2021-05-13.md", "docs/notes/2021-05-13.md")
    assert (bare.title, bare.text) == ("", "Just a line.")


def test_bad_notes_are_reported_with_file_and_line():
    where = "docs/notes/x.md"
    assert parse_note("Hi\n", "notes/monday.md", where)[1][0].message == (
        "not a note's file name: a note is named by its day, like 2026-12-01.md")
    assert str(parse_note("Hi\n", "notes/2026-02-30.md", where)[1][0]) == "docs/notes/x.md:1: not a day: 2026-02-30"
    note, problems = parse_note("---\ntitle: [unclosed\n---\nHi\n", "notes/2026-02-03.md", where)
    assert note is None and problems[0].where == "docs/notes/x.md:3"
    assert problems[0].message.startswith("front matter is not valid YAML")
    note, problems = parse_note("---\ntitle: Hi\ndate: 2026-02-03\n---\nText\n", "notes/2026-02-03.md", where)
    assert note is not None
    assert [(str(p), p.fatal) for p in problems] == [
        ("docs/notes/x.md:3: date: not a note's key (a note has only title:)", False)]
    note, problems = parse_note("---\n---\n\n", "notes/2026-02-03.md", where)
    assert note is None and problems[0].message == "the note is empty: it is not shown"


def test_relative_links_are_rebased_to_the_page_showing_the_note():
    text = ("See [the vote](../posts/2021/05/13/late-night-vote.md#result), "
            "![map](../images/map.png), [a site](https://example.org/x.md) and [here](#top).\n\n"
            "[ref]: ../posts/2021/05/12/ferry-timetable.md\n")
    on_front = rebased(text, "notes/2021-05-13.md", "index.md")
    assert "(posts/2021/05/13/late-night-vote.md#result)" in on_front
    assert "(images/map.png)" in on_front
    assert "(https://example.org/x.md)" in on_front and "(#top)" in on_front
    assert "[ref]: posts/2021/05/12/ferry-timetable.md" in on_front
    assert rebased(text, "notes/2021-05-13.md", "days/2021-05-13.md") == text


def write_note(site, day: str, text: str) -> None:
    folder = site / "docs" / "notes"
    folder.mkdir(exist_ok=True)
    (folder / f"{day}.md").write_text(text, encoding="utf-8")


def test_the_note_leads_its_day_and_the_front_page_while_its_day_is_the_latest(pages_site):
    configure(pages_site, timezone="Europe/London")
    write_note(pages_site, "2021-05-13", "---\ntitle: Good morning\n---\n\nRead [the vote]"
                                         "(../posts/2021/05/13/late-night-vote.md) first.\n")
    write_note(pages_site, "2021-05-12", "Yesterday's note.\n")
    build_pages(pages_site)

    front = read_doc(pages_site, "index.md")
    lead = front.split("## [Thursday")[0]
    assert '<div class="digest-note" markdown>\n\n## Good morning\n\nRead [the vote]' \
           "(posts/2021/05/13/late-night-vote.md) first.\n\n</div>" in lead
    assert "Yesterday's note" not in front, "only the latest edition's note leads the front page"
    day = read_doc(pages_site, "days/2021-05-13.md")
    assert day.index("## Good morning") < day.index("## [Business]")
    assert "(../posts/2021/05/13/late-night-vote.md)" in day
    older = read_doc(pages_site, "days/2021-05-12.md")
    assert "## Editor's note\n\nYesterday's note." in older   # no heading: the label
    assert "notes/" not in read_doc(pages_site, "archive.md")


def test_a_note_for_a_day_without_posts_is_that_days_edition_but_not_before_its_day(pages_site):
    write_note(pages_site, "2021-05-20", "The quiet day.\n")
    write_note(pages_site, "2999-01-01", "Not yet.\n")
    build_pages(pages_site)
    front = read_doc(pages_site, "index.md")
    # The note's day is the latest edition: its note leads, above the latest stories.
    assert front.index("The quiet day.") < front.index("## Top stories")
    day = read_doc(pages_site, "days/2021-05-20.md")
    assert "The quiet day." in day and "No articles yet." in day
    assert "Not yet." not in front
    assert not (pages_site / "docs" / "days" / "2999-01-01.md").exists()
    assert re.search(r"\[Thursday, 20 May 2021\]\(days/2021-05-20\.md\) \(0\)", read_doc(pages_site, "archive.md"))
