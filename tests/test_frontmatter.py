"""The one front matter reader and writer: exact bytes in and out, libyaml, python-frontmatter."""

from __future__ import annotations

import frontmatter as python_frontmatter
import pytest
import yaml

from digest.store import frontmatter


def test_dump_writes_the_keys_in_order_and_the_body_unchanged():
    text = frontmatter.dump({"title": "Zürich: 5 % more", "search": {"exclude": True},
                             "tags": ["a", "b"]}, "\n# Heading\n\nBody.\n")
    assert text == ("---\ntitle: 'Zürich: 5 % more'\nsearch:\n  exclude: true\ntags:\n- a\n- b\n"
                    "---\n\n# Heading\n\nBody.\n")


def test_dump_goes_through_python_frontmatter_with_our_handler():
    post = python_frontmatter.Post("Body", frontmatter.HANDLER, title="T")
    assert python_frontmatter.dumps(post) == frontmatter.dump({"title": "T"}, "Body")


def test_split_gives_the_exact_front_matter_and_body():
    text = "---\ntitle: A\n---\n\n\nBody\n---\nnot front matter\n"
    front, body = frontmatter.split(text)
    assert front == "title: A\n"
    assert body == "\n\nBody\n---\nnot front matter\n"
    assert text.endswith(body) and len("---\n" + front + "---\n" + body) == len(text)


@pytest.mark.parametrize("text", ["no front matter\n---\ntitle: A\n---\n", "\n---\ntitle: A\n---\n"])
def test_split_only_reads_a_front_matter_that_opens_the_file(text):
    assert frontmatter.split(text) == ("", text)


def test_round_trip_through_dump_split_and_load():
    meta = {"title": "Ünïcode “quotes”", "date": "2026-11-20T09:00:00+00:00", "n": 3, "ok": True}
    front, body = frontmatter.split(frontmatter.dump(meta, "\nx\n"))
    assert frontmatter.load(front) == meta and body == "\nx\n"


def test_append_key_adds_the_last_line_of_the_front_matter():
    assert frontmatter.append_key("---\na: 1\n---\nbody\n", "h", "sha256:00ff") == \
        "---\na: 1\nh: sha256:00ff\n---\nbody\n"
    assert frontmatter.append_key("---\n---\nbody\n", "h", "x") == "---\nh: x\n---\nbody\n"
    with pytest.raises(ValueError):
        frontmatter.append_key("body\n", "h", "x")


def test_span_is_the_yaml_between_the_delimiters():
    text = "---\r\ntitle: A\r\n---\r\nbody"
    start, end = frontmatter.span(text)
    assert text[start:end] == "title: A\r\n"
    assert frontmatter.span("---\n---\nbody") is None and frontmatter.span("body") is None


def test_load_keeps_what_python_frontmatter_loads_would_drop_or_refuse():
    # Not a mapping, and keys that are not text: the callers report both with a line.
    assert frontmatter.load("- a\n- b\n") == ["a", "b"]
    assert frontmatter.load("2026: x\n") == {2026: "x"}


def test_invalid_yaml_raises_with_the_pure_python_parsers_mark():
    with pytest.raises(frontmatter.FrontMatterError) as caught:
        frontmatter.load("title: A\ndate: [unclosed\n")
    assert isinstance(caught.value, yaml.YAMLError) and caught.value.problem_mark.line == 2


def test_loading_never_builds_python_objects():
    with pytest.raises(frontmatter.FrontMatterError):
        frontmatter.load("x: !!python/object/apply:os.system ['true']\n")


def test_line_of_counts_the_opening_delimiter_as_line_one():
    front = "title: A\ndate: 2026-11-20\n"
    assert frontmatter.line_of(front, "date") == 3
    assert frontmatter.line_of(front, "missing") == 1
