"""The evidence that two posts tell one story: how similar they are within a language, and
the names and numbers they share across languages. digest/site/stories.py decides with it.

Similar (within a language)
    The TF-IDF vectors of related articles (digest/site/terms.py: title counted three
    times, stemmed per language, CJK character pairs, a source's boilerplate left out), read
    over a shorter lead (``LEAD_WORDS``), since a story is told in its first lines. Each post
    to place gets its best ``CANDIDATES`` of its own language within ``GAP_DAYS``, found
    through the inverted index of related.py's query terms, in blocks of rows against the
    posts of their time window only, and scored over the full vectors.

Names and numbers (across languages)
    Reports of one event share its names, places and numbers even when they share no words.
    A name is a capitalised word past a sentence's first, compared by its first
    ``NAME_PREFIX`` letters (Hungarian "Veldhavenben" meets "Veldhaven"); names and numbers
    that more than ``COMMON_ENTITY`` posts share are no evidence. Pairs within ``CROSS_DAYS``
    count as evidence with ``CROSS_NAMES`` names and a number, one name and two numbers, or
    three names within ``SAME_EVENT_HOURS``. Within a language, each shared name and number
    adds a little (``NAME_WEIGHT``, ``NUMBER_WEIGHT``) to the cosine.

On every core, for a big archive
    A first run over an archive (``PARALLEL_POSTS`` posts or more) reads each post's words,
    language, names and numbers in chunks on a process per core; the words come back as
    plain strings and get their term ids here, in the posts' order, so the vectors and the
    stories are exactly those one process gives (tests/test_story_evidence.py). A night's
    run reads a few thousand posts and stays in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy import sparse

from digest.site.related import best_per_row, exact_scores, query_terms
from digest.site.terms import (CJK_WORD, CYRILLIC, LANGUAGE_WORDS, LATIN_LANGUAGES, TITLE_WEIGHT, Reading,
                               TermCounter, boilerplate_by_source, document, document_of, latin_language,
                               reading, words)
from digest.stopwords import stop_words
from digest.store.posts import Post

GAP_DAYS = 5            # a post joins a story only within this many days of one of its articles
CROSS_DAYS = 2          # ... of another language: coverage of one event comes at once
CROSS_NAMES = 2
SAME_EVENT_HOURS = 12   # reports this close that share three names tell one event
NAME_WEIGHT = 0.03
NUMBER_WEIGHT = 0.03
NAME_PREFIX = 5
COMMON_ENTITY = 100     # a name or number in more posts than this proves nothing
LEAD_WORDS = 60
CANDIDATES = 10
ROW_BLOCK = 2000
PARALLEL_POSTS = 20_000     # from this many posts, they are read by a process per core
PARALLEL_CHUNK = 5_000

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SENTENCE_END = ".!?:;\n\"'«»„“”"
UPPER = "".join(chr(code) for code in range(0x41, 0x2000) if chr(code).isupper())
# A capital not after a letter or digit, then 2+ letters. The capital comes first and the
# look-behind after it (at the character before the capital), so the regex engine skips
# ahead to the next capital instead of trying the look-behind at every position.
CAPITALISED = re.compile(f"[{re.escape(UPPER)}](?<!\\w(?s:.))[^\\W\\d_]{{2,}}")


# --- Features ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Lead:
    """What the evidence reads of a post: its title, summary, the start of its text (cut
    before anything splits it: a story is told in its first lines), its source and date.
    Much lighter to make than a copy of the post (``dataclasses.replace`` of 150,000 posts
    was a sixth of placing them)."""
    title: str
    summary: str
    text: str
    source: str
    date: datetime

    @classmethod
    def of(cls, post: Post, chars: int) -> Lead:
        return cls(post.title, post.summary, post.text[:chars], post.source, post.date)


def language_of(post: Post | Lead, counted: str | None = None) -> str:
    """The post's language: terms.py's (its stop words; ``counted`` if already told by a
    TermCounter), or its script when it is Chinese or Cyrillic."""
    head = post.title + " " + post.summary
    if CJK_WORD.search(head):
        return "chinese"
    if CYRILLIC.search(head):
        return "russian"
    if counted is None:
        title, rest = document(post, lead_words=LEAD_WORDS)
        counted = latin_language(words(title) * TITLE_WEIGHT + words(rest)[:LANGUAGE_WORDS])
    return counted


@lru_cache(maxsize=None)
def all_stop_words() -> frozenset[str]:
    return frozenset().union(*(stop_words(language) for language in LATIN_LANGUAGES))


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1 << 17)
def _name(word: str, stops: frozenset[str]) -> str:
    """A capitalised word as a name ("" for a stop word): names recur from post to post."""
    return "" if word.casefold() in stops else _plain(word)[:NAME_PREFIX]


def entities(post: Post | Lead, stops: frozenset[str]) -> tuple[set[str], set[str]]:
    """(names, numbers) of a post's title, summary and lead: what survives translation."""
    return entities_of(post.title, post.summary, post.text, stops)


def entities_of(title: str, summary: str, body: str, stops: frozenset[str]) -> tuple[set[str], set[str]]:
    """``entities`` of a post's title, summary and body.

    A name is a capitalised word that is no stop word and does not open a sentence, cut to
    ``NAME_PREFIX`` letters without accents (case endings differ by language); a number has
    its decimal comma made a point ("6,8" is "6.8"; "4,800" and "4.800" meet too).
    """
    text = unicodedata.normalize("NFKC", "\n".join(
        (title, summary, " ".join(body.split()[:LEAD_WORDS]))))
    names = set()
    for match in CAPITALISED.finditer(text):
        before = text[max(0, match.start() - 4):match.start()].rstrip(" \t")
        if before and before[-1] not in SENTENCE_END:
            name = _name(match.group(), stops)
            if name:
                names.add(name)
    numbers = {number.replace(",", ".") for number in NUMBER.findall(text)}
    return names, numbers


@dataclass(frozen=True)
class Evidence:
    """What is read of the posts: TF-IDF rows (L2-normalised), languages, names, numbers."""
    vectors: sparse.csr_matrix
    languages: list[str]
    names: list[set[str]]
    numbers: list[set[str]]


def read_posts(posts: list[Lead]) -> Evidence:
    """The evidence of every post. From ``PARALLEL_POSTS`` posts on (a first run over an
    archive), each post's words, language, names and numbers are read by a process per core;
    terms get their ids here, in the posts' order, so the result is the same either way."""
    boilerplate = boilerplate_by_source(posts)
    # One set object per source: pickled once per chunk, however many posts refer to it.
    nothing: frozenset[str] = frozenset()
    pieces = [(post.title, post.summary, post.text, boilerplate.get(post.source) or nothing)
              for post in posts]
    if len(pieces) >= PARALLEL_POSTS and (os.cpu_count() or 1) > 1:
        found = _read_in_processes(pieces)
    else:
        found = _read_pieces(pieces)
    counter = TermCounter()
    counts = counter.counts(None, read=[read for read, _, _ in found])
    languages = [language_of(post, counted) for post, counted in zip(posts, counter.languages)]
    # Imported here: scikit-learn (and the scipy.stats it loads) is about a CPU second of
    # start-up that commands which never weigh terms (digest publish, check) need not pay.
    from sklearn.feature_extraction.text import TfidfTransformer

    vectors = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    return Evidence(vectors, languages, [names for _, names, _ in found],
                    [numbers for _, _, numbers in found])


Piece = tuple[str, str, str, frozenset[str]]   # a post's title, summary, text, boilerplate


def _read_pieces(pieces: list[Piece]) -> list[tuple[Reading, set[str], set[str]]]:
    stops = all_stop_words()
    return [(reading(*document_of(title, summary, text, boilerplate, LEAD_WORDS)),
             *entities_of(title, summary, text, stops))
            for title, summary, text, boilerplate in pieces]


def _read_in_processes(pieces: list[Piece]) -> list[tuple[Reading, set[str], set[str]]]:
    """``_read_pieces`` in chunks, on every core, in order. A fork server, not a plain fork:
    the calling process may have threads (a fork would copy their held locks)."""
    chunks = [pieces[start:start + PARALLEL_CHUNK] for start in range(0, len(pieces), PARALLEL_CHUNK)]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    workers = min(os.cpu_count() or 1, len(chunks))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(chain.from_iterable(pool.map(_read_pieces, chunks)))
    except (OSError, BrokenProcessPool):
        # No processes to be had here (a sandbox, a limit): the same reading, in this one.
        return _read_pieces(pieces)


def entity_matrix(sets: list[set[str]]) -> sparse.csr_matrix:
    """Posts x entities (0/1), only the entities 2 to ``COMMON_ENTITY`` posts share."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, found in enumerate(sets):
        for entity in found:
            rows.append(row)
            cols.append(vocabulary.setdefault(entity, len(vocabulary)))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                               shape=(len(sets), max(len(vocabulary), 1)))
    df = np.asarray(matrix.sum(axis=0)).ravel()
    keep = np.flatnonzero((df >= 2) & (df <= COMMON_ENTITY))
    return matrix[:, keep].tocsr()


# --- Candidates ----------------------------------------------------------------------------

def _windows(times: np.ndarray, rows: np.ndarray, days: float):
    """Blocks of ``rows`` and, for each, the column range of posts within ``days`` of it."""
    span = days * 86_400
    for start in range(0, len(rows), ROW_BLOCK):
        block = rows[start:start + ROW_BLOCK]
        low = int(np.searchsorted(times, times[block[0]] - span, side="left"))
        high = int(np.searchsorted(times, times[block[-1]] + span, side="right"))
        yield block, low, high


def similar_pairs(vectors, times, languages, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, other, exact cosine): each row's best ``CANDIDATES`` posts of its own language
    within ``GAP_DAYS``, found through the query terms, scored over the full vectors.

    Rows are placed oldest first, so a later row that is placed too cannot be a candidate
    (it is not in a story yet); a later post that already has a story can."""
    reduced = query_terms(vectors)
    placed_later = np.ones(vectors.shape[0], dtype=bool)
    placed_later[rows] = False
    left_parts, right_parts = [], []
    for block, low, high in _windows(times, rows, GAP_DAYS):
        product = (reduced[block] @ reduced[low:high].T).tocoo()
        left, right, scores = block[product.row], product.col + low, product.data
        usable = (((right < left) | placed_later[right])
                  & (np.abs(times[left] - times[right]) <= GAP_DAYS * 86_400)
                  & (languages[left] == languages[right]))
        left, right, scores = left[usable], right[usable], scores[usable]
        # Best first, then the earliest (a story's first reports).
        keep = best_per_row(left, right, scores, CANDIDATES, later_first=False)
        left_parts.append(left[keep])
        right_parts.append(right[keep])
    left = np.concatenate(left_parts) if left_parts else np.zeros(0, dtype=np.int64)
    right = np.concatenate(right_parts) if right_parts else np.zeros(0, dtype=np.int64)
    return left, right, exact_scores(vectors, left, right)


def entity_pairs(names, numbers, times, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, other, shared names and numbers) for posts, in any language, within
    ``CROSS_DAYS`` that share ``CROSS_NAMES`` names and a number, or a name and two numbers,
    or, published within ``SAME_EVENT_HOURS`` of each other, ``CROSS_NAMES + 1`` names."""
    left_parts, right_parts, count_parts = [], [], []
    for block, low, high in _windows(times, rows, CROSS_DAYS):
        named_pairs = (names[block] @ names[low:high].T).tocoo()
        numbered_pairs = (numbers[block] @ numbers[low:high].T).tocsr()
        # A pair needs a shared name; how many numbers it shares is read at those positions.
        rows_, cols_ = named_pairs.row, named_pairs.col
        named = named_pairs.data
        numbered = _values_at(numbered_pairs, rows_, cols_)
        left, right = block[rows_], cols_ + low
        apart = np.abs(times[left] - times[right])
        evidence = (((named >= CROSS_NAMES) & (numbered >= 1)) | ((named >= 1) & (numbered >= 2))
                    | ((named >= CROSS_NAMES + 1) & (apart <= SAME_EVENT_HOURS * 3600)))
        count = named + np.minimum(numbered, 2)
        usable = evidence & (left != right) & (apart <= CROSS_DAYS * 86_400)
        left_parts.append(left[usable])
        right_parts.append(right[usable])
        count_parts.append(count[usable])
    if not left_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return np.concatenate(left_parts), np.concatenate(right_parts), np.concatenate(count_parts)


def _values_at(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[i], cols[i]]`` for every i, as a flat array (0 where nothing is stored)."""
    stored = matrix.tocoo()
    width = np.int64(matrix.shape[1])
    keys = stored.row.astype(np.int64) * width + stored.col
    order = np.argsort(keys, kind="stable")
    keys, data = keys[order], stored.data[order]
    wanted = rows.astype(np.int64) * width + cols
    position = np.minimum(np.searchsorted(keys, wanted), max(len(keys) - 1, 0))
    found = (keys[position] == wanted) if len(keys) else np.zeros(len(wanted), dtype=bool)
    return np.where(found, data[position] if len(keys) else 0, 0)


def shared(matrix: sparse.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """How many entities each pair of rows has in common."""
    if not len(left):
        return np.zeros(0)
    return np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel()


def affinity(scores: np.ndarray, names: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """The cosine, plus a little for each name and number two reports share."""
    bonus = NAME_WEIGHT * np.minimum(names, 3) + NUMBER_WEIGHT * np.minimum(numbers, 2)
    return np.round(scores + bonus, 6)


def by_row(left: np.ndarray, right: np.ndarray, values: np.ndarray) -> dict[int, list[tuple[int, float]]]:
    grouped: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for row, other, value in zip(left.tolist(), right.tolist(), values.tolist()):
        grouped[row].append((other, value))
    return grouped
