"""digest.site.corrections: updated: and correction: say "Corrected on <day>" on the article
(its byline fragment) and in the digest's feeds (Atom <updated>, the notice first)."""

from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from digest.config import load_settings
from digest.site.corrections import last_changed, notice_html, notice_text
from digest.site.locale import Site
from tests.helpers import build_pages, configure, fragment, make_post, read_doc

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = datetime(2021, 5, 13, 8, 30, tzinfo=timezone.utc)
CORRECTED = datetime(2021, 5, 14, 9, 15, tzinfo=timezone.utc)


def test_notice_in_the_sites_language_and_escaped(site):
    configure(site, language="de", timezone="Europe/Berlin")
    german = Site(load_settings(site / "mkdocs.yml"))
    post = make_post("x", "X", "", PUBLISHED, updated=CORRECTED, correction="Nicht 3 <b>km</b>.")
    assert notice_text(german, post) == "Korrigiert am Freitag, 14. Mai 2021: Nicht 3 <b>km</b>."
    assert notice_html(german, post) == (
        '<p class="digest-correction" role="note"><strong><time datetime="2021-05-14T09:15:00+00:00">'
        "Korrigiert am Freitag, 14. Mai 2021</time></strong>: Nicht 3 &lt;b&gt;km&lt;/b&gt;.</p>")
    updated_only = make_post("y", "Y", "", PUBLISHED, updated=CORRECTED)
    assert notice_text(german, updated_only) == "Aktualisiert am Freitag, 14. Mai 2021."
    assert notice_text(german, make_post("z", "Z", "", PUBLISHED)) == ""
    assert last_changed(post) == CORRECTED and last_changed(updated_only) == CORRECTED


def test_a_corrected_post_carries_the_notice_on_its_page_and_in_the_feeds(pages_site):
    src = "posts/2021/05/13/harbour-bridge-reopens.md"
    path = pages_site / "docs" / src
    path.write_text(path.read_text(encoding="utf-8").replace(
        "\ndate:", "\nupdated: 2021-05-14 10:15\ncorrection: The bridge reopened on Thursday.\ndate:", 1),
        encoding="utf-8")
    configure(pages_site, timezone="Europe/London")
    build_pages(pages_site)

    byline = fragment(pages_site, src, "byline")
    assert ('<p class="digest-correction" role="note"><strong><time datetime="2021-05-14T10:15:00+01:00">'
            "Corrected on Friday, 14 May 2021</time></strong>: The bridge reopened on Thursday.</p>") in byline
    atom = ET.fromstring(read_doc(pages_site, "atom.xml"))
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Harbour bridge reopens after repairs")
    assert entry.findtext(f"{ATOM}updated") == "2021-05-14T10:15:00+01:00"
    assert entry.findtext(f"{ATOM}published") != entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}summary").startswith(
        "Corrected on Friday, 14 May 2021: The bridge reopened on Thursday.\n\nThe bridge carries")
    assert atom.findtext(f"{ATOM}updated") == "2021-05-14T10:15:00+01:00"
    rss = ET.fromstring(read_doc(pages_site, "feed.xml"))
    item = next(i for i in rss.iter("item") if i.findtext("title") == "Harbour bridge reopens after repairs")
    assert item.findtext("description").startswith("Corrected on Friday, 14 May 2021:")
