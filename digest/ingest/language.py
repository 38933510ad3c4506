"""The language of an entry the feed does not label, told from its text.

py3langid (a maintained fork of langid.py, BSD) ships its model inside the package: nothing
is downloaded, ever. The model takes a second or two to load, so it is loaded the first
time an entry needs it, never in a run whose feeds all say their language. A guess is kept
only when the model is sure of it and the text is long enough to judge; otherwise the
post has no language, as before, and the page keeps the site's.
"""

from __future__ import annotations

from functools import lru_cache

MIN_CHARS = 40              # shorter than this, a guess is noise
MIN_PROBABILITY = 0.9
SAMPLE_CHARS = 1000         # the start of the text is enough, and keeps the cost flat


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(title: str, text: str) -> str:
    """An ISO 639-1 code, or "" when the text is too short or the guess unsure."""
    sample = f"{title}. {text}"[:SAMPLE_CHARS]
    if sum(character.isalpha() for character in sample) < MIN_CHARS:
        return ""
    language, probability = _identifier().classify(sample)
    return language if probability >= MIN_PROBABILITY else ""
