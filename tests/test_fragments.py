"""digest.site.fragments: what the theme puts around an article's text (byline, original
link, see-also), rendered the way the theme includes it, from the posts in tests/data/pages
and from stories written for the test.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import jinja2
import pytest

from digest.config import load_settings
from digest.site.fragments import fragments_template, reading_minutes, see_also_fragment
from digest.site.locale import Site
from digest.site.related import compute_links
from tests.conftest import REPO
from tests.helpers import build_pages, configure, fragment, make_post

BRIDGE = "posts/2021/05/13/harbour-bridge-reopens.md"


def test_article_fragment_has_localised_byline_and_original_link(pages_site):
    configure(pages_site, timezone="Europe/London", locale="en_GB")
    build_pages(pages_site)
    src = "posts/2021/05/13/harbour-bridge-reopens.md"
    header, footer = fragment(pages_site, src, "byline"), fragment(pages_site, src, "original")
    assert "Read the original" not in header and "digest-byline" not in footer
    assert ('<p class="digest-byline"><span class="digest-source">Coastal Herald</span> '
            '<span class="digest-author">by Ana Lind</span> '
            '<time datetime="2021-05-13T07:30:00+00:00">Thursday, 13 May 2021, 08:30</time> '
            '<span class="digest-reading-time">4 min read</span></p>') in header
    assert ('Filed under: <a href="../../../../../categories/transport/">Transport</a>, '
            '<a href="../../../../../categories/local/">Local</a>') in header
    assert ('<a href="https://coastal.example.com/bridge" rel="noopener" target="_blank">'
            'Read the original at Coastal Herald</a>') in footer


def test_article_fragment_escapes_text_and_drops_unsafe_links(pages_site):
    build_pages(pages_site)
    script = fragment(pages_site, "posts/2021/05/13/markets-rally-script.md")
    assert "<script>" not in script and "&lt;script&gt;" not in script   # the title is the theme's
    vote = fragment(pages_site, "posts/2021/05/13/late-night-vote.md")
    assert "javascript:" not in vote and "digest-original" not in vote


def test_german_byline_and_original_link(pages_site):
    configure(pages_site, language="de", timezone="Europe/Berlin")
    build_pages(pages_site)
    text = fragment(pages_site, BRIDGE)
    assert "Donnerstag, 13. Mai 2021, 09:30" in text and "4 Min. Lesezeit" in text
    assert "Original bei Coastal Herald lesen" in text


def test_hungarian_byline(pages_site):
    configure(pages_site, language="hu", timezone="Europe/Budapest")
    build_pages(pages_site)
    assert "4 perc olvasás" in fragment(pages_site, BRIDGE)


# --- Reading time: the whole story's, or none -----------------------------------------------

def test_a_summary_only_post_shows_the_whole_storys_reading_time(pages_site):
    # The bridge story's body is its summary (about forty words); ingest measured the whole
    # article at four minutes and kept that in the front matter.
    build_pages(pages_site)
    assert '<span class="digest-reading-time">4 min read</span>' in fragment(pages_site, BRIDGE, "byline")


def test_a_generated_post_without_a_measured_time_shows_none(pages_site):
    build_pages(pages_site)
    assert "digest-reading-time" not in fragment(pages_site, "posts/2021/05/13/late-night-vote.md")


def test_an_editors_post_is_timed_by_its_own_text(pages_site):
    note = pages_site / "docs" / "posts" / "2021" / "05" / "12" / "long-read.md"
    note.write_text("---\ntitle: A long read\ndate: 2021-05-12 10:00\n---\n\n"
                    + "- word " * 450 + "\n", encoding="utf-8")
    build_pages(pages_site)
    # 450 words at 200 a minute (the list markers are not words): three minutes.
    assert "3 min read" in fragment(pages_site, "posts/2021/05/12/long-read.md", "byline")


def test_reading_minutes_prefers_the_measured_time_to_the_body():
    when = datetime(2026, 11, 10, tzinfo=timezone.utc)
    summary = make_post("s", "S", "A short summary.", when, reading_time=7)
    assert reading_minutes(summary) == 7
    assert reading_minutes(replace(summary, reading_time=0)) == 0
    assert reading_minutes(replace(summary, reading_time=0, generated=False)) == 1


# --- The fragment file ------------------------------------------------------------------------

def test_fragment_file_keeps_quotes_backslashes_and_braces_inert():
    markup = '<p class="x">O\'Brien \\ {{ x }} {% y %} two\nlines</p>'
    text = fragments_template({"posts/2021/05/13/a/": (markup, "", "")})
    rendered = jinja2.Template(text).render(page={"url": "posts/2021/05/13/a/"}, digest_part=0)
    assert rendered == ('<p class="x">O&#39;Brien &#92; &#123;&#123; x &#125;&#125; '
                        '&#123;% y %&#125; two lines</p>')
    assert jinja2.Template(text).render(page={"url": "posts/2021/05/13/b/"}, digest_part=0) == ""


T0 = datetime(2026, 11, 10, 8, 0, tzinfo=timezone.utc)
TALKS = "Foreign ministers Harlow and Lavrov will meet in Reykjavik at the Arctic Council"
VOLCANO = "A volcano erupted near Grindavik; lava flows toward the evacuated fishing town"


def post(name: str, title: str, text: str, hours: float, source: str, **extra):
    return make_post(name, title, text, T0 + timedelta(hours=hours), source, **extra)


talks_1 = post("talks-1", "Harlow and Lavrov to meet in Reykjavik", TALKS + " next week.", 0, "Wire")
talks_2 = post("talks-2", "Reykjavik talks: Lavrov and Harlow prepare summit", TALKS + " on Thursday.", 5, "Ledger")
talks_3 = post("talks-3", "Lavrov meets Harlow in Reykjavik", TALKS + "; they spoke for two hours.", 30, "Courier")
volcano = post("volcano", "Grindavik evacuated as volcano erupts", VOLCANO + " overnight.", 10, "Ledger")


# --- See also and follow-ups: an editor's list wins --------------------------------------------

@pytest.fixture
def repo_site() -> Site:
    return Site(load_settings(REPO / "mkdocs.yml"))


def test_an_editors_list_is_used_as_given_in_its_order(repo_site):
    pinned = replace(talks_3, see_also=("posts/volcano.md", "posts/talks-1.md"))
    posts = [talks_1, talks_2, pinned, volcano]
    by_src = {p.src: p for p in posts}
    fragment = see_also_fragment(repo_site, pinned, by_src, compute_links(posts, 3, 0.12))
    assert fragment.index("Grindavik evacuated") < fragment.index("Harlow and Lavrov to meet")
    assert "Reykjavik talks: Lavrov" not in fragment      # computed, but the editor chose


def test_an_empty_editors_list_means_no_links(repo_site):
    pinned = replace(talks_3, see_also=())
    posts = [talks_1, talks_2, pinned]
    fragment = see_also_fragment(repo_site, pinned, {p.src: p for p in posts},
                                 compute_links(posts, 3, 0.12))
    assert fragment == ""


def test_a_hand_written_post_without_a_list_gets_computed_links(repo_site):
    note = replace(talks_3, generated=False, source="", link="")
    posts = [talks_1, talks_2, note]
    fragment = see_also_fragment(repo_site, note, {p.src: p for p in posts},
                                 compute_links(posts, 3, 0.12))
    assert 'class="digest-see-also"' in fragment
    assert "Harlow and Lavrov to meet in Reykjavik" in fragment


def test_each_link_shows_title_source_and_date(repo_site):
    posts = [talks_1, talks_2]
    fragment = see_also_fragment(repo_site, talks_2, {p.src: p for p in posts},
                                 compute_links(posts, 3, 0.05))
    assert '<a href="../talks-1/">Harlow and Lavrov to meet in Reykjavik</a>' in fragment
    assert "Wire" in fragment and '<time datetime="2026-11-10T08:00:00+00:00">' in fragment


def test_a_post_without_a_source_is_shown_with_the_site_name(repo_site):
    note = replace(talks_1, source="", generated=False)
    posts = [note, talks_2]
    fragment = see_also_fragment(repo_site, talks_2, {p.src: p for p in posts},
                                 compute_links(posts, 3, 0.05))
    assert repo_site.settings.site_name in fragment


@pytest.mark.slow
def test_see_also_also_reported_and_read_the_original_speak_the_sites_language(site, feed_server):
    """"See also", "Follow-up coverage", "Also reported by" and "Read the original at" were
    English on a German site; a real fetch and build show them in German."""
    from digest.cli import main
    from tests.helpers import mkdocs_build

    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: en\n", "  language: de\n"),
                      encoding="utf-8")
    text = ("Der Stadtrat hat am Montag beschlossen, die Fähre zwischen Nordhafen und Südkai "
            "ab Dezember stündlich fahren zu lassen, auch an Wochenenden und Feiertagen im Winter.")

    def feed(name: str) -> str:
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>'
                f"<link>https://{name.lower()}.example/</link><description>x</description><item>"
                "<title>Die Fähre fährt ab Dezember stündlich</title>"
                f"<link>https://{name.lower()}.example/faehre</link><guid>https://{name.lower()}.example/faehre</guid>"
                f"<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description>{text}</description>"
                "</item></channel></rss>")
    first = feed_server.add("/hafen.xml", feed("Hafenblatt"))
    second = feed_server.add("/kai.xml", feed("Kaibote"))
    (site / "feeds.txt").write_text(f"{first}\n{second}\n", encoding="utf-8")
    assert main(["--config", str(config), "fetch"]) == 0
    (story,) = [path for path in (site / "docs" / "posts").rglob("*.md") if "faehre" in path.read_text(encoding="utf-8")]
    src = story.relative_to(site / "docs").as_posix()
    note = site / "docs" / "posts" / "2026" / "11" / "24" / "unser-kommentar.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"---\ntitle: Unser Kommentar zur Fähre\ndate: 2026-11-24\nsee_also:\n- {src}\n---\n\n"
                    "Endlich.\n", encoding="utf-8")
    assert main(["--config", str(config), "pages"]) == 0

    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
    article = (site / "site" / src[:-3] / "index.html").read_text(encoding="utf-8")
    assert "Original bei Hafenblatt lesen" in article
    assert "Auch berichtet von" in article and 'href="https://kaibote.example/faehre"' in article
    assert "Also reported by" not in article and "Read the original" not in article
    comment = (site / "site" / "posts/2026/11/24/unser-kommentar/index.html").read_text(encoding="utf-8")
    assert "<h2>Siehe auch</h2>" in comment and "See also" not in comment
