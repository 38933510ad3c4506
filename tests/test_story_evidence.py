"""digest.site.story_evidence: what is read of the posts, the same on one core or on all."""

from __future__ import annotations

import sys

from digest.site import story_evidence
from digest.site.stories import LEAD_CHARS, assign_stories
from digest.site.story_evidence import Lead, read_posts
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from stories_eval import EVAL_SET, load_labelled  # noqa: E402

# Held-out articles in Chinese and Russian too, and the three languages of the story set.
RELATED_SET = REPO / "tests" / "data" / "related_eval"


def test_reading_posts_in_worker_processes_gives_exactly_what_one_process_reads(monkeypatch):
    posts = load_labelled(EVAL_SET)[0] + load_labelled(RELATED_SET)[0]
    leads = [Lead.of(post, LEAD_CHARS) for post in sorted(posts, key=lambda p: (p.date, p.src))]
    alone = read_posts(leads)
    assignment_alone = assign_stories(posts).assignment

    used = []
    in_processes = story_evidence._read_in_processes

    def spied(pieces):
        used.append(len(pieces))
        return in_processes(pieces)

    # The threshold lowered so that this small set takes the path a big archive takes, in
    # chunks that do not divide it evenly, on two workers even on a one-core machine.
    monkeypatch.setattr(story_evidence, "PARALLEL_POSTS", 10)
    monkeypatch.setattr(story_evidence, "PARALLEL_CHUNK", 7)
    monkeypatch.setattr(story_evidence.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(story_evidence, "_read_in_processes", spied)
    spread = read_posts(leads)
    assignment_spread = assign_stories(posts).assignment

    assert used == [len(leads), len(posts)]
    assert {"chinese", "russian", "english", "german", "hungarian"} <= set(alone.languages)
    assert spread.languages == alone.languages
    assert spread.names == alone.names and spread.numbers == alone.numbers
    assert any(alone.names) and any(alone.numbers)
    # The same terms with the same ids: the very same matrix, entry for entry.
    for matrix in (alone.vectors, spread.vectors):
        matrix.sort_indices()
    assert spread.vectors.shape == alone.vectors.shape
    assert (spread.vectors.indptr == alone.vectors.indptr).all()
    assert (spread.vectors.indices == alone.vectors.indices).all()
    assert (spread.vectors.data == alone.vectors.data).all()
    assert assignment_spread == assignment_alone
