"""digest.site.story_file: the assignment kept between runs, readable and rewritten only on change."""

from __future__ import annotations

import json

from digest.site.stories import Assignment
from digest.site.story_file import dump_assignment, load_assignment, save_assignment


def test_the_assignment_survives_a_round_trip_one_story_a_line(tmp_path):
    path = tmp_path / "digest-stories.json"
    kept = Assignment({"urn:b": "dock-strike", "urn:a": "dock-strike", "urn:c": "fire",
                       "urn:e": "", "urn:d": ""}, {"ships-diverted": "dock-strike"})
    assert save_assignment(kept, path)
    assert load_assignment(path) == (kept, None)
    text = path.read_text(encoding="utf-8")
    assert '    "dock-strike": ["urn:a", "urn:b"],\n    "fire": ["urn:c"]\n' in text
    assert '  "alone": [\n    "urn:d",\n    "urn:e"\n  ]\n' in text
    assert json.loads(text)["merged"] == {"ships-diverted": "dock-strike"}


def test_saving_the_same_assignment_again_writes_nothing(tmp_path):
    path = tmp_path / "digest-stories.json"
    kept = Assignment({"urn:a": "dock-strike"})
    assert save_assignment(kept, path)
    before = path.stat().st_mtime_ns
    assert not save_assignment(Assignment({"urn:a": "dock-strike"}), path)
    assert path.stat().st_mtime_ns == before


def test_the_output_does_not_depend_on_the_order_of_the_posts():
    one = Assignment({"urn:a": "x", "urn:b": "y", "urn:c": "x"})
    other = Assignment({"urn:c": "x", "urn:b": "y", "urn:a": "x"})
    assert dump_assignment(one) == dump_assignment(other)


def test_a_missing_file_starts_afresh_and_a_broken_one_says_so(tmp_path):
    assert load_assignment(tmp_path / "none.json") == (Assignment(), None)
    broken = tmp_path / "digest-stories.json"
    broken.write_text("{not json", encoding="utf-8")
    assignment, problem = load_assignment(broken)
    assert assignment == Assignment()
    assert problem.startswith("digest-stories.json: not a story file (")
    assert problem.endswith("); stories are placed afresh")
    broken.write_text('["a list"]', encoding="utf-8")
    assert load_assignment(broken)[1].startswith("digest-stories.json: not a story file")
