"""Paginated listings as a reader meets them, in Debian's chromium (Playwright, never a
browser download): `digest pages` and a build over fourteen Transport stories,
three a page, built by MkDocs and by Zensical; the reader follows the front page's "more stories" link to the category, walks
"Older" to its first page ever and comes back with "Newest".
"""

from __future__ import annotations

import shutil

import pytest

from tests.helpers import (BIN, CHROMIUM, check_accessibility, configure, digest, mkdocs_build,
                           nights_of_transport, run_ok, serve_static)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make browser)"),
]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def served(tmp_path_factory, request):
    from tests.conftest import copy_site

    site = copy_site(tmp_path_factory.mktemp(request.param) / "site-root")
    shutil.rmtree(site / "docs" / "posts")
    configure(site, timezone="UTC", locale="en_GB", page_size=3, top_stories=1, front_page_lines=1)
    nights_of_transport(site, nights=7, per_night=2)                    # 14: 3 pages and 5
    assert digest(site, "pages").returncode == 0
    if request.param == "zensical":
        run_ok([str(BIN / "zensical"), "build", "--config-file", "mkdocs.yml"], site)
    else:
        built = mkdocs_build(site)
        assert built.returncode == 0, built.stderr
    server, base = serve_static(site / "site")
    yield base
    server.shutdown()
    server.server_close()


def story_titles(page) -> list[str]:
    return page.locator("article p.digest-story > a:first-child").all_inner_texts()


def test_a_reader_walks_a_category_from_the_front_page_to_its_oldest_page_and_back(browser, served):
    page = browser.new_page()
    page.goto(served)
    page.get_by_role("link", name="2 more stories in Transport →").click()
    page.wait_for_url(f"{served}categories/transport/")
    titles, headings = story_titles(page), [page.locator("h1").inner_text()]
    assert len(titles) == 5                                             # the newest: never a stub
    while page.get_by_role("link", name="Older →").count():
        page.get_by_role("link", name="Older →").click()
        page.wait_for_load_state()
        check_accessibility(page)
        titles += story_titles(page)
        headings.append(page.locator("h1").inner_text())
    assert headings == ["Transport", "Transport (Page 3)", "Transport (Page 2)", "Transport (Page 1)"]
    assert len(titles) == 14 == len(set(titles))                        # every story once
    assert page.url == f"{served}categories/transport/page-1/"
    assert "Page 1" in page.locator("nav.digest-pagination").inner_text()
    page.get_by_role("link", name="← Newer").click()
    page.wait_for_url(f"{served}categories/transport/page-2/")
    page.get_by_role("link", name="« Newest").click()
    page.wait_for_url(f"{served}categories/transport/")
    page.close()
