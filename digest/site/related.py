"""Stage 7: which posts are about the same story. A pure function of the posts.

What "related" means
    Cosine similarity of TF-IDF vectors (scikit-learn, sparse) over what an article is about:
    its title (counted three times: it says the most in the fewest words), its summary and the
    lead of its body (news puts the story first; the tail is often the publisher's appeal).
    A post links to at most ``k`` others, each at least ``min_score`` similar: no link is better
    than a wrong one. Never to itself, never to a duplicate of itself (the same link or id, or
    text this similar: ``DUPLICATE_SCORE``), and never to two copies of one story.

Languages
    Each word is read by its script. Latin-script text is given a language by counting its
    stop words (English, German, Hungarian, French, ...); those stop words are dropped and the
    rest stemmed with that language's Snowball stemmer (PyStemmer), so "Putyinnal" and "Putyin"
    meet. Cyrillic words are Russian-stemmed without Russian stop words. Chinese (and Japanese
    kana) has no spaces: runs are split at stop characters and cut into overlapping character
    pairs, the usual way of indexing CJK text. Stop words are removed in the language they
    belong to, so two articles in different languages never match on "die" or "и".
    Paragraphs that one source repeats in three or more posts (its appeal, its newsletter
    teaser) are left out, so a source's boilerplate does not make its posts related.

Stable pages: "See also" looks back, "Follow-up coverage" looks forward
    An article's "See also" lists only coverage published *before* it (ordered by date, then
    path), so tonight's new articles can never push a link off an older page. Newer coverage
    reaches older articles through a separate "Follow-up coverage" list: the ``k`` best later
    articles, from the same scores in the other direction, rebuilt on every run; it is meant
    to change as a story goes on. What can still move an old "See also" list is the
    corpus-wide IDF shifting as posts are added: bench/related_eval.py replays its set night by
    night and bench/related_scale.py adds a night to synthetic news to count the lists that
    change (figures in bench/README.md). An editor who wants a list frozen writes it into the
    post's ``see_also`` front matter, which is used as given (digest/site/fragments.py).

Ranking and ties
    Links are chosen best score first; scores are rounded to ``SCORE_DECIMALS`` so that float
    noise cannot decide an order, and equal scores go to the candidate closest in time (then
    the path, through the date-and-path order). Where the next candidates score within
    ``SPREAD_TOLERANCE`` of the best one, one from a source not yet shown (nor the article's
    own) is preferred. The chosen links are then shown in time order (See also newest first,
    Follow-up oldest first), so a small drift in scores cannot reorder a list.

Scale
    All pairs would be quadratic. Instead, as Lucene's "more like this" does, each article is
    reduced to its ``QUERY_TERMS`` most telling terms (highest TF-IDF weight, seen in at least
    two posts); articles sharing such terms become candidates through an inverted index (a
    sparse product of the reduced vectors, computed in blocks of rows and only towards earlier
    posts), each keeps its ``CANDIDATES`` best, and only those pairs get the exact cosine over
    the full vectors. The work grows with the sum of the squared posting lengths of those terms,
    which for news (new names every day, each term shared by one story's posts) grows with n;
    ``POSTING_CAP`` bounds a term's posting list so one huge term cannot make it quadratic.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import Stemmer
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfTransformer

from digest.stopwords import stop_words
from digest.store.posts import Post

TITLE_WEIGHT = 3
LANGUAGE_WORDS = 100        # words of the body read to tell its language
LEAD_WORDS = 300            # words of the body read; the rest of a long article adds little
DUPLICATE_SCORE = 0.9       # this close is the same text (a wire copy), not a related story
BOILERPLATE_REPEATS = 3     # a paragraph one source repeats this often is not the story
SCORE_DECIMALS = 6
SPREAD_TOLERANCE = 0.10     # "close": within 10% of the best remaining score
QUERY_TERMS = 25
CANDIDATES = 12
POSTING_CAP = 500
ROW_BLOCK = 2000

# Latin-script languages told apart by their stop words; the first wins a tie.
LATIN_LANGUAGES = ("english", "german", "hungarian", "french", "spanish", "italian", "dutch",
                   "portuguese")
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(r"\w+")
CJK_WORD = re.compile(f"[{CJK}]")
CJK_SPLIT = re.compile(f"([{CJK}]+)")
URL = re.compile(r"\]\([^)]*\)|<?https?://\S+")


@dataclass(frozen=True)
class Links:
    see_also: dict[str, tuple[str, ...]]    # src -> earlier related posts, newest first
    follow_ups: dict[str, tuple[str, ...]]  # src -> later related posts, oldest first


# --- Words ---------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _own_stop_words() -> dict[str, str]:
    """word -> language, for the stop words only one Latin-script language here has."""
    owners: dict[str, set[str]] = defaultdict(set)
    for language in LATIN_LANGUAGES:
        for word in stop_words(language):
            owners[word].add(language)
    return {word: languages.pop() for word, languages in owners.items() if len(languages) == 1}


@lru_cache(maxsize=None)
def _dropped(language: str) -> frozenset[str]:
    return stop_words(language) | stop_words("russian")


@lru_cache(maxsize=None)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=None)
def _chinese_stops() -> re.Pattern:
    return re.compile("|".join(sorted(map(re.escape, stop_words("chinese")), key=len, reverse=True)))


def latin_language(found: list[str]) -> str:
    """The language with the most of its own stop words ("the", "und", "hogy") in ``found``;
    the first of ``LATIN_LANGUAGES`` on a tie, English when there are none."""
    votes = Counter(map(_own_stop_words().get, found))
    best = max((votes[language] for language in LATIN_LANGUAGES))
    return next(language for language in LATIN_LANGUAGES if votes[language] == best)


def words(text: str) -> list[str]:
    """Runs of letters and digits, case-folded (a CJK run is one "word" until ``terms_of``)."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def character_pairs(run: str) -> list[str]:
    pairs = []
    for segment in _chinese_stops().split(run):
        if len(segment) == 1:
            pairs.append(segment)
        pairs += [segment[i:i + 2] for i in range(len(segment) - 1)]
    return pairs


def terms_of(found: list[str], language: str) -> list[tuple[str, ...]]:
    """The index terms of each word: its stem, its CJK character pairs, or none (stop word).

    A Latin-script word is stemmed in its document's language, a Cyrillic one in Russian
    (each Snowball stemmer leaves the other's script alone, so both run on every word).
    """
    dropped = _dropped(language)
    plain = [word for word in found if len(word) >= 2 and word not in dropped
             and not CJK_WORD.search(word)]
    stems = dict(zip(plain, _stemmer("russian").stemWords(_stemmer(language).stemWords(plain))))
    terms = []
    for word in found:
        if word in stems:
            terms.append((stems[word],))
        elif CJK_WORD.search(word):
            parts = [part for part in CJK_SPLIT.split(word) if part]
            terms.append(tuple(chain.from_iterable(
                character_pairs(part) if CJK_WORD.match(part) else terms_of([part], language)[0]
                for part in parts)))
        else:
            terms.append(())
    return terms


def tokens(text: str) -> list[str]:
    """The index terms of one text, its language told from its stop words."""
    found = words(text)
    return list(chain.from_iterable(terms_of(found, latin_language(found))))


class TermCounter:
    """(title, rest) documents -> a sparse matrix of term counts, the title's counted
    ``TITLE_WEIGHT`` times. Each distinct word is analysed once per language: news repeats
    its words, and this keeps the per-word work for 50,000 articles in C loops.

    A word's code is its term's id, ``NO_TERM`` for a stop word, or for a word of several
    terms (a CJK run: its character pairs) ``-2 - i``, ``i`` its place in ``self.several``.
    """

    NO_TERM = -1

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.tables: dict[str, dict[str, int]] = defaultdict(dict)
        self.several: list[tuple[int, ...]] = []
        self.languages: list[str] = []      # each counted document's, in order

    def learn(self, found: set[str], language: str) -> None:
        table = self.tables[language]
        missing = sorted(found.difference(table))
        for word, terms in zip(missing, terms_of(missing, language)):
            ids = tuple(self.vocabulary.setdefault(term, len(self.vocabulary)) for term in terms)
            if len(ids) == 1:
                table[word] = ids[0]
            elif not ids:
                table[word] = self.NO_TERM
            else:
                table[word] = -2 - len(self.several)
                self.several.append(ids)

    def counts(self, documents: list[tuple[str, str]], block: int = 1000) -> sparse.csr_matrix:
        """Counted a block of documents at a time, so temporary arrays stay small."""
        blocks = [self.block_counts(documents[start:start + block])
                  for start in range(0, len(documents), block)]
        shape = (len(documents), max(len(self.vocabulary), 1))
        if not blocks:
            return sparse.csr_matrix(shape)
        # Later blocks may have added terms: widen the earlier ones to the full vocabulary.
        blocks = [sparse.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], shape[1]))
                  for b in blocks]
        return sparse.vstack(blocks, format="csr")

    def block_counts(self, documents: list[tuple[str, str]]) -> sparse.csr_matrix:
        # Words are found for the block, new words analysed in one batch per language, then
        # each document's words mapped to codes in C loops.
        found = [(words(title) * TITLE_WEIGHT, words(rest)) for title, rest in documents]
        languages = [latin_language(title + rest[:LANGUAGE_WORDS]) for title, rest in found]
        self.languages += languages
        new: dict[str, set[str]] = defaultdict(set)
        for (title, rest), language in zip(found, languages):
            new[language].update(title, rest)
        for language, vocabulary in sorted(new.items()):
            self.learn(vocabulary, language)
        codes, lengths = array("q"), array("q")
        for (title, rest), language in zip(found, languages):
            table = self.tables[language]
            codes.extend(map(table.__getitem__, title))
            codes.extend(map(table.__getitem__, rest))
            lengths.append(len(title) + len(rest))
        code = np.frombuffer(codes, dtype=np.int64) if codes else np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.arange(len(documents)), np.frombuffer(lengths, dtype=np.int64))
        columns, rows_of = [code[code >= 0]], [rows[code >= 0]]
        for position in np.flatnonzero(code <= -2):
            ids = self.several[-2 - int(code[position])]
            columns.append(np.array(ids, dtype=np.int64))
            rows_of.append(np.full(len(ids), rows[position]))
        columns, rows = np.concatenate(columns), np.concatenate(rows_of)
        shape = (len(documents), max(len(self.vocabulary), 1))
        # Repeated (row, term) entries are summed on conversion: that is the counting.
        matrix = sparse.coo_matrix((np.ones(len(columns)), (rows, columns)), shape=shape).tocsr()
        matrix.sum_duplicates()
        return matrix


# --- Documents -----------------------------------------------------------------------------

def paragraphs(markdown: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", markdown) if part.strip()]


def boilerplate_by_source(posts: list[Post]) -> dict[str, set[str]]:
    """Paragraphs a source repeats in ``BOILERPLATE_REPEATS`` or more of its posts."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        counts[post.source].update(set(paragraphs(post.text)))
    return {source: {text for text, n in counter.items() if n >= BOILERPLATE_REPEATS}
            for source, counter in counts.items()}


def document(post: Post, boilerplate: set[str] = frozenset(),
             lead_words: int = LEAD_WORDS) -> tuple[str, str]:
    """The title, and the summary with the lead of the body (links and boilerplate left out)."""
    body = " ".join(part for part in paragraphs(post.text) if part not in boilerplate)
    if "](" in body or "http" in body:
        body = URL.sub(" ", body)
    body = " ".join(body.split()[:lead_words])
    return post.title, post.summary + "\n" + body


def tfidf_vectors(posts: list[Post]) -> sparse.csr_matrix:
    """One L2-normalised TF-IDF row per post (cosine is then a dot product)."""
    boilerplate = boilerplate_by_source(posts)
    counts = TermCounter().counts([document(post, boilerplate.get(post.source, set()))
                                   for post in posts])
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()


# --- Candidates and exact scores -------------------------------------------------------------

def query_terms(vectors: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row cut to its ``QUERY_TERMS`` heaviest terms among those shared by 2+ posts."""
    df = np.bincount(vectors.indices, minlength=vectors.shape[1])
    rows = np.repeat(np.arange(vectors.shape[0]), np.diff(vectors.indptr))
    usable = (df[vectors.indices] >= 2) & (df[vectors.indices] <= POSTING_CAP)
    rows, cols, weights = rows[usable], vectors.indices[usable], vectors.data[usable]
    # Weights are in (0, 1]: one stable sort by row, then heaviest first, then term.
    order = np.argsort(rows + (1 - weights) * 0.5, kind="stable")
    rows, cols, weights = rows[order], cols[order], weights[order]
    starts = np.searchsorted(rows, rows, side="left")
    keep = (np.arange(len(rows)) - starts) < QUERY_TERMS
    return sparse.csr_matrix((weights[keep], (rows[keep], cols[keep])), shape=vectors.shape)


def candidate_pairs(vectors: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(later, earlier, exact cosine) for each later row's best earlier candidates.

    Rows must be in publication order. Only the lower triangle is computed: each pair once.
    """
    reduced = query_terms(vectors)
    later_parts, earlier_parts = [], []
    for start in range(0, vectors.shape[0], ROW_BLOCK):
        end = min(start + ROW_BLOCK, vectors.shape[0])
        block = (reduced[start:end] @ reduced[:end].T).tocoo()
        rows, cols, scores = block.row + start, block.col, block.data
        earlier = cols < rows
        rows, cols, scores = rows[earlier], cols[earlier], scores[earlier]
        order = np.lexsort((-cols, -scores, rows))   # best first, then the closest in time
        rows, cols = rows[order], cols[order]
        starts = np.searchsorted(rows, rows, side="left")
        keep = (np.arange(len(rows)) - starts) < CANDIDATES
        later_parts.append(rows[keep])
        earlier_parts.append(cols[keep])
    later = np.concatenate(later_parts) if later_parts else np.zeros(0, dtype=np.int64)
    earlier = np.concatenate(earlier_parts) if earlier_parts else np.zeros(0, dtype=np.int64)
    return later, earlier, exact_scores(vectors, later, earlier)


def exact_scores(vectors: sparse.csr_matrix, left: np.ndarray, right: np.ndarray,
                 chunk: int = 20_000) -> np.ndarray:
    scores = np.zeros(len(left))
    for start in range(0, len(left), chunk):
        a, b = vectors[left[start:start + chunk]], vectors[right[start:start + chunk]]
        scores[start:start + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return np.round(scores, SCORE_DECIMALS)


def duplicate_groups(posts: list[Post], later, earlier, scores) -> np.ndarray:
    """A group number per post; posts in one group are copies of one story."""
    n = len(posts)
    left, right = list(later[scores >= DUPLICATE_SCORE]), list(earlier[scores >= DUPLICATE_SCORE])
    for key in (lambda post: post.id, lambda post: post.link):
        first: dict[str, int] = {}
        for position, post in enumerate(posts):
            value = key(post)
            if value and value in first:
                left.append(position)
                right.append(first[value])
            first.setdefault(value, position)
    graph = sparse.coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


# --- Choosing the links ----------------------------------------------------------------------

def pick(ranked: list[tuple[float, int]], k: int, own: int, sources: list[str],
         groups: np.ndarray) -> list[int]:
    """Up to ``k`` of ``ranked`` (best first), one per story copy, spread across sources."""
    chosen: list[int] = []
    shown_sources, shown_groups = {sources[own]}, {groups[own]}
    pool = list(ranked)
    while pool and len(chosen) < k:
        pool = [item for item in pool if groups[item[1]] not in shown_groups]
        if not pool:
            break
        close = pool[0][0] * (1 - SPREAD_TOLERANCE)
        item = next((item for item in pool if item[0] >= close
                     and sources[item[1]] not in shown_sources), pool[0])
        pool.remove(item)
        chosen.append(item[1])
        shown_sources.add(sources[item[1]])
        shown_groups.add(groups[item[1]])
    return chosen


def best_links(owner, other, scores, k: int, sources, groups) -> dict[int, list[int]]:
    """For each owner, its chosen others; ranked by score, then by closeness in time."""
    distance = np.abs(owner - other)
    order = np.lexsort((distance, -scores, owner))
    owner, other, scores = owner[order], other[order], scores[order]
    links = {}
    bounds = np.flatnonzero(np.diff(owner)) + 1
    for start, end in zip(np.r_[0, bounds], np.r_[bounds, len(owner)]):
        if start == end:
            continue
        ranked = list(zip(scores[start:end].tolist(), other[start:end].tolist()))
        chosen = pick(ranked, k, int(owner[start]), sources, groups)
        if chosen:
            links[int(owner[start])] = chosen
    return links


def compute_links(posts: list[Post], k: int, min_score: float) -> Links:
    """Each post's earlier related posts (See also) and later ones (Follow-up coverage)."""
    if len(posts) < 2 or k == 0:
        return Links({}, {})
    ordered = sorted(posts, key=lambda post: (post.date, post.src))
    vectors = tfidf_vectors(ordered)
    later, earlier, scores = candidate_pairs(vectors)
    groups = duplicate_groups(ordered, later, earlier, scores)
    usable = (scores >= min_score) & (scores > 0) & (groups[later] != groups[earlier])
    later, earlier, scores = later[usable], earlier[usable], scores[usable]
    sources = [post.source for post in ordered]
    srcs = [post.src for post in ordered]

    def named(links: dict[int, list[int]], newest_first: bool) -> dict[str, tuple[str, ...]]:
        # Shown in time order, not score order: a reader follows a story along time, and a
        # small drift in scores then cannot reorder a list whose members stay the same.
        return {srcs[owner]: tuple(srcs[other] for other in sorted(chosen, reverse=newest_first))
                for owner, chosen in links.items()}

    return Links(see_also=named(best_links(later, earlier, scores, k, sources, groups), True),
                 follow_ups=named(best_links(earlier, later, scores, k, sources, groups), False))
