"""Settings under extra.digest in mkdocs.yml: defaults, validation of every key at once."""

from pathlib import Path

import pytest

from digest.config import load_settings
from digest.errors import ConfigError
from tests.helpers import ONE_STORY_FEED

REPO = Path(__file__).resolve().parent.parent


def write_config(tmp_path: Path, digest_block: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: Test\ntheme:\n  name: material\n  language: de\n"
                    "markdown_extensions:\n  - pymdownx.emoji:\n"
                    "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                    f"extra:\n  digest:\n{digest_block}", encoding="utf-8")
    return path


def test_the_repos_own_config_loads():
    settings = load_settings(REPO / "mkdocs.yml")
    assert settings.see_also == 3
    assert settings.support.heading
    assert settings.docs_dir == REPO / "docs"
    assert settings.custom_dir == REPO / "overrides"


def test_defaults_and_python_tags_do_not_break_reading(tmp_path):
    settings = load_settings(write_config(tmp_path, "    see_also: 5\n"))
    assert settings.see_also == 5
    assert settings.language == "de"
    assert settings.feeds == tmp_path / "feeds.txt"
    assert settings.support.link == "support.md"


def test_every_bad_key_is_reported_at_once(tmp_path):
    path = write_config(tmp_path, "    see_also: lots\n    timezone: Mars/Olympus\n"
                                  "    colour: red\n    support:\n      button: ''\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    lines = str(error.value).splitlines()
    assert lines[0].startswith("mkdocs.yml: extra.digest.colour: unknown setting (known: ")
    assert "see_also" in lines[0] and "support" in lines[0]
    assert lines[1:] == [
        "mkdocs.yml: extra.digest.see_also: expected a whole number, got 'lots'",
        "mkdocs.yml: extra.digest.timezone: not a time zone: 'Mars/Olympus' "
        "(use a name such as 'Europe/Budapest')",
        "mkdocs.yml: extra.digest.support.button: expected non-empty text, got ''",
    ]


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: x\nextra:\n  digest: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^mkdocs.yml:\d+: not valid YAML"):
        load_settings(path)


def test_every_option_is_documented_in_the_readme():
    from digest.config import OPTIONS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [option.name for option in OPTIONS if f"| `{option.name}` |" not in readme]
    assert not missing, f"README.md's settings table lacks {missing}"


@pytest.mark.slow
def test_env_tags_and_inherit_are_read_as_mkdocs_reads_them(site, feed_server):
    """`site_url: !ENV [...]` was read as the string "['SITE_URL', ...]" and INHERIT was
    ignored; MkDocs' own loader reads both, and so does `digest fetch` now."""
    import os
    import subprocess
    import sys

    from tests.helpers import mkdocs_build

    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    base, _, rest = text.partition("site_url: https://example.org/digest/\n")
    # The publication's settings move to a shared base file; this one inherits them.
    (site / "base.yml").write_text(base + rest, encoding="utf-8")
    config.write_text("INHERIT: base.yml\n"
                      'site_url: !ENV [DIGEST_TEST_SITE_URL, "https://fallback.example/"]\n',
                      encoding="utf-8")
    url = feed_server.add("/wire.xml", ONE_STORY_FEED)
    (site / "feeds.txt").write_text(f"{url}\n", encoding="utf-8")
    env = {**os.environ, "DIGEST_TEST_SITE_URL": "https://news.example/nightly/"}

    fetched = subprocess.run([sys.executable, "-m", "digest", "fetch"], cwd=site, env=env,
                             capture_output=True, text=True, timeout=120)

    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    feed = (site / "docs" / "feed.xml").read_text(encoding="utf-8")
    assert "https://news.example/nightly/" in feed and "SITE_URL" not in feed
    user_agents = [headers.get("User-Agent", "") for _, headers in feed_server.requests]
    assert all("news.example/nightly" in agent for agent in user_agents), user_agents
    built = mkdocs_build(site)
    assert built.returncode == 0, built.stderr
