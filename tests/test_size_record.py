"""store/size_record.py: the last published site's measured bytes against the model's estimate."""

from __future__ import annotations

import os

from digest.store import size_record


def test_the_correction_is_what_the_site_weighed_over_the_estimate(tmp_path):
    size_record.record(tmp_path, estimated=700_000_000, measured=949_000_000)
    assert size_record.correction(tmp_path) == 949 / 700


def test_no_record_or_a_broken_one_leaves_the_model_as_it_is(tmp_path):
    assert size_record.correction(tmp_path) == 1.0
    path = size_record.record_file(tmp_path)
    path.parent.mkdir(parents=True)
    for text in ("", "{", '{"estimated": 0, "measured": 5}', '{"measured": 5}', "[1, 2]",
                 '{"estimated": "many", "measured": 5}'):
        path.write_text(text, encoding="utf-8")
        assert size_record.correction(tmp_path) == 1.0, text
    path.write_bytes(b"\xff\xfe")
    assert size_record.correction(tmp_path) == 1.0


def test_a_model_that_overestimated_is_not_relaxed_and_a_wild_ratio_is_capped(tmp_path):
    size_record.record(tmp_path, estimated=800, measured=400)
    assert size_record.correction(tmp_path) == size_record.LOWEST == 1.0
    size_record.record(tmp_path, estimated=100, measured=10_000)
    assert size_record.correction(tmp_path) == size_record.HIGHEST


def test_the_same_figures_rewrite_nothing(tmp_path):
    size_record.record(tmp_path, estimated=100, measured=120)
    path = size_record.record_file(tmp_path)
    os.utime(path, ns=(1, 1))
    size_record.record(tmp_path, estimated=100, measured=120)
    assert path.stat().st_mtime_ns == 1
    size_record.record(tmp_path, estimated=100, measured=130)
    assert path.stat().st_mtime_ns != 1
