"""What the last published site weighed against what the size budget's model estimated.

The budget's plan (``site/budget.py``) is a model fitted on a few thousand articles; the
50,000-article run showed it can be far off at scale (949 MB built, 703 MB estimated). So
``digest publish``, which measures the real site, records both figures here, and the next
plan scales its estimate by their ratio: a model that underestimated keeps fewer days of full
pages the night after, instead of the site passing its budget night after night.

The record lives in ``.digest-cache/site-size.json`` beside the parsed-post cache (git-ignored;
the nightly workflow restores and saves that folder with actions/cache). Without it (a fresh
clone, a lost cache) the model is used as it is. A record that cannot be read is ignored: it
only tunes an estimate.
"""

from __future__ import annotations

import json
from pathlib import Path

from digest.store.files import write_atomic
from digest.store.post_cache import FOLDER

FILE = "site-size.json"
# The correction never makes the plan trust the model more than its own spare allows, and
# a wild ratio (a site built without its posts, a half-copied site/) is not believed.
LOWEST, HIGHEST = 1.0, 3.0


def record_file(root: Path) -> Path:
    return root / FOLDER / FILE


def record(root: Path, estimated: int, measured: int) -> None:
    """Keep tonight's figures for the next plan; unchanged figures rewrite nothing."""
    text = json.dumps({"estimated": estimated, "measured": measured}, sort_keys=True) + "\n"
    path = record_file(root)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)


def correction(root: Path) -> float:
    """measured / estimated of the last published site, within [LOWEST, HIGHEST]; 1.0 when
    there is no usable record."""
    try:
        data = json.loads(record_file(root).read_text(encoding="utf-8"))
        ratio = int(data["measured"]) / int(data["estimated"])
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError, UnicodeDecodeError):
        return 1.0
    return min(HIGHEST, max(LOWEST, ratio))
