"""The index terms of a post, for related.py's TF-IDF vectors (and stories.py's): what an
article is about, as words of its language.

Documents
    Its title (counted ``TITLE_WEIGHT`` times: it says the most in the fewest words), its
    summary and the lead of its body (``LEAD_WORDS``; news puts the story first, the tail is
    often the publisher's appeal), links left out.

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
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import chain
from typing import Protocol

import numpy as np
import Stemmer
from scipy import sparse

from digest.stopwords import stop_words

TITLE_WEIGHT = 3
LANGUAGE_WORDS = 100        # words of the body read to tell its language
LEAD_WORDS = 300            # words of the body read; the rest of a long article adds little
BOILERPLATE_REPEATS = 3     # a paragraph one source repeats this often is not the story

# Latin-script languages told apart by their stop words; the first wins a tie.
LATIN_LANGUAGES = ("english", "german", "hungarian", "french", "spanish", "italian", "dutch",
                   "portuguese")
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(r"\w+")
CJK_WORD = re.compile(f"[{CJK}]")
CJK_SPLIT = re.compile(f"([{CJK}]+)")
CYRILLIC = re.compile("[\u0400-\u04ff]")
URL = re.compile(r"\]\([^)]*\)|<?https?://\S+")


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


def document_language(title: list[str], rest: list[str]) -> str:
    """``latin_language`` of a document's words: its title counted ``TITLE_WEIGHT`` times
    and the first ``LANGUAGE_WORDS`` of the rest."""
    own = _own_stop_words()
    votes = Counter(map(own.get, rest[:LANGUAGE_WORDS]))
    for language, count in Counter(map(own.get, title)).items():
        votes[language] += TITLE_WEIGHT * count
    best = max((votes[language] for language in LATIN_LANGUAGES))
    return next(language for language in LATIN_LANGUAGES if votes[language] == best)


def words(text: str) -> list[str]:
    """Runs of letters and digits, case-folded (a CJK run is one "word" until ``terms_of``)."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# A document's title words and other words, each joined by spaces (a word has none; one
# string is a tenth of the memory of a list of words, for a whole archive), and its language.
Reading = tuple[str, str, str]


def reading(title: str, rest: str) -> Reading:
    """What a document says before its words become terms: its words and its language."""
    title_words, rest_words = words(title), words(rest)
    return " ".join(title_words), " ".join(rest_words), document_language(title_words, rest_words)


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
    stemmed = _stemmer(language).stemWords(plain)
    # The Russian stemmer changes only Cyrillic letters: the other words need not go through it.
    if CYRILLIC.search(" ".join(stemmed)):
        cyrillic = [i for i, stem in enumerate(stemmed) if CYRILLIC.search(stem)]
        for i, stem in zip(cyrillic, _stemmer("russian").stemWords([stemmed[i] for i in cyrillic])):
            stemmed[i] = stem
    stems = dict(zip(plain, stemmed))
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
        vocabulary = self.vocabulary
        for word, terms in zip(missing, terms_of(missing, language)):
            if len(terms) == 1:         # most words: one stem
                table[word] = vocabulary.setdefault(terms[0], len(vocabulary))
            elif not terms:
                table[word] = self.NO_TERM
            else:
                table[word] = -2 - len(self.several)
                self.several.append(tuple(vocabulary.setdefault(term, len(vocabulary))
                                          for term in terms))

    def counts(self, documents: list[tuple[str, str]] | None, block: int = 1000,
               read: list[Reading] | None = None) -> sparse.csr_matrix:
        """Counted a block of documents at a time, so temporary arrays stay small. ``read``:
        instead of the documents, their words and languages (``reading`` of each), as
        story_evidence.py's worker processes find them for a big archive."""
        size = len(read) if documents is None else len(documents)
        blocks = [self.block_counts(None if documents is None else documents[start:start + block],
                                    None if read is None else read[start:start + block])
                  for start in range(0, size, block)]
        shape = (size, max(len(self.vocabulary), 1))
        if not blocks:
            return sparse.csr_matrix(shape)
        # Later blocks may have added terms: widen the earlier ones to the full vocabulary.
        blocks = [sparse.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], shape[1]))
                  for b in blocks]
        return sparse.vstack(blocks, format="csr")

    def block_counts(self, documents: list[tuple[str, str]] | None,
                     read: list[Reading] | None = None) -> sparse.csr_matrix:
        # Words are found for the block, new words analysed in one batch per language, then
        # each document's words mapped to codes in C loops. The title's words are mapped once
        # and weigh TITLE_WEIGHT each: the same counts as the title written out three times.
        if read is None:
            read = [reading(title, rest) for title, rest in documents]
        found = [(title.split(), rest.split()) for title, rest, _ in read]
        languages = [language for _, _, language in read]
        self.languages += languages
        new: dict[str, set[str]] = defaultdict(set)
        for (title, rest), language in zip(found, languages):
            new[language].update(title, rest)
        for language, vocabulary in sorted(new.items()):
            self.learn(vocabulary, language)
        codes, lengths = array("q"), array("q")    # lengths: title, rest, title, rest, ...
        for (title, rest), language in zip(found, languages):
            code_of = self.tables[language].__getitem__
            codes.extend(map(code_of, title))
            codes.extend(map(code_of, rest))
            lengths.append(len(title))
            lengths.append(len(rest))
        code = np.frombuffer(codes, dtype=np.int64) if codes else np.zeros(0, dtype=np.int64)
        part_lengths = np.frombuffer(lengths, dtype=np.int64) if lengths else np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.repeat(np.arange(len(read)), 2), part_lengths)
        weights = np.repeat(np.tile([float(TITLE_WEIGHT), 1.0], len(read)), part_lengths)
        single = code >= 0
        columns, rows_of, weights_of = [code[single]], [rows[single]], [weights[single]]
        for position in np.flatnonzero(code <= -2):
            ids = self.several[-2 - int(code[position])]
            columns.append(np.array(ids, dtype=np.int64))
            rows_of.append(np.full(len(ids), rows[position]))
            weights_of.append(np.full(len(ids), weights[position]))
        columns, rows, weights = np.concatenate(columns), np.concatenate(rows_of), np.concatenate(weights_of)
        shape = (len(read), max(len(self.vocabulary), 1))
        # Repeated (row, term) entries are summed on conversion: that is the counting (whole
        # numbers, so the sums are exact in any order).
        matrix = sparse.coo_matrix((weights, (rows, columns)), shape=shape).tocsr()
        matrix.sum_duplicates()
        return matrix


# --- Documents -----------------------------------------------------------------------------

class Readable(Protocol):
    """What a document is read from: a post (digest.store.posts.Post), or the lead of one
    (story_evidence.Lead)."""
    title: str
    summary: str
    text: str
    source: str


def paragraphs(markdown: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", markdown) if part.strip()]


def boilerplate_by_source(posts: list[Readable]) -> dict[str, set[str]]:
    """Paragraphs a source repeats in ``BOILERPLATE_REPEATS`` or more of its posts."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        counts[post.source].update(set(paragraphs(post.text)))
    return {source: {text for text, n in counter.items() if n >= BOILERPLATE_REPEATS}
            for source, counter in counts.items()}


def document(post: Readable, boilerplate: set[str] = frozenset(),
             lead_words: int = LEAD_WORDS) -> tuple[str, str]:
    """The title, and the summary with the lead of the body (links and boilerplate left out)."""
    return document_of(post.title, post.summary, post.text, boilerplate, lead_words)


def document_of(title: str, summary: str, text: str, boilerplate: set[str] = frozenset(),
                lead_words: int = LEAD_WORDS) -> tuple[str, str]:
    """``document`` of a post's title, summary and text."""
    body = " ".join(part for part in paragraphs(text) if part not in boilerplate)
    if "](" in body or "http" in body:
        body = URL.sub(" ", body)
    body = " ".join(body.split()[:lead_words])
    return title, summary + "\n" + body


def tfidf_vectors(posts: list[Readable]) -> sparse.csr_matrix:
    """One L2-normalised TF-IDF row per post (cosine is then a dot product)."""
    boilerplate = boilerplate_by_source(posts)
    counts = TermCounter().counts([document(post, boilerplate.get(post.source, set()))
                                   for post in posts])
    # Imported here: scikit-learn (and the scipy.stats it loads) is about a CPU second of
    # start-up that commands which never weigh terms (digest publish, check) need not pay.
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
