"""Stage 7: which posts are about the same story. A pure function of the posts.

What "related" means
    Cosine similarity of TF-IDF vectors (scikit-learn, sparse) over what an article is about:
    its title (counted three times: it says the most in the fewest words), its summary and the
    lead of its body (news puts the story first; the tail is often the publisher's appeal).
    A post links to at most ``k`` others, each at least ``min_score`` similar: no link is better
    than a wrong one. Never to itself, never to a duplicate of itself (the same link or id, or
    text this similar: ``DUPLICATE_SCORE``), and never to two copies of one story.

Words
    The terms are those of digest/site/terms.py: stemmed in each article's language, CJK text
    cut into character pairs, a source's repeated paragraphs (its boilerplate) left out.

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

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from digest.site.terms import tfidf_vectors
from digest.store.posts import Post

DUPLICATE_SCORE = 0.9       # this close is the same text (a wire copy), not a related story
SCORE_DECIMALS = 6
SPREAD_TOLERANCE = 0.10     # "close": within 10% of the best remaining score
QUERY_TERMS = 25
CANDIDATES = 12
POSTING_CAP = 500
ROW_BLOCK = 2000


@dataclass(frozen=True)
class Links:
    see_also: dict[str, tuple[str, ...]]    # src -> earlier related posts, newest first
    follow_ups: dict[str, tuple[str, ...]]  # src -> later related posts, oldest first


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
        # Best first, then the closest in time (the later of two earlier posts).
        keep = best_per_row(rows, cols, scores, CANDIDATES, later_first=True)
        later_parts.append(rows[keep])
        earlier_parts.append(cols[keep])
    later = np.concatenate(later_parts) if later_parts else np.zeros(0, dtype=np.int64)
    earlier = np.concatenate(earlier_parts) if earlier_parts else np.zeros(0, dtype=np.int64)
    return later, earlier, exact_scores(vectors, later, earlier)


def best_per_row(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, k: int,
                 later_first: bool) -> np.ndarray:
    """The positions of each row's ``k`` best entries (``rows`` ascending, a column once per
    row): highest score first, a tie to the later column (``later_first``) or the earlier,
    in that order. The same as sorting all entries and keeping each row's first ``k``, in
    time linear in the entries: a product of query terms has thousands per row, and sorting
    them all was most of the time of related articles and stories at 20,000 posts."""
    if len(rows) and np.any(rows[1:] < rows[:-1]):
        raise ValueError("rows must be in ascending order")
    bounds = np.flatnonzero(np.diff(rows)) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(rows)]
    keep = np.ones(len(rows), dtype=bool)
    long = (ends - starts) > k
    for start, end in zip(starts[long].tolist(), ends[long].tolist()):
        row_scores = scores[start:end]
        kth = np.partition(row_scores, end - start - k)[end - start - k]   # the k-th best
        chosen = row_scores >= kth
        if np.count_nonzero(chosen) > k:        # ties at the k-th place: the columns decide
            chosen = row_scores > kth
            ties = np.flatnonzero(row_scores == kth)
            tie_cols = cols[start:end][ties]
            order = np.argsort(-tie_cols if later_first else tie_cols, kind="stable")
            chosen[ties[order[:k - int(chosen.sum())]]] = True
        keep[start:end] = chosen
    kept = np.flatnonzero(keep)
    tie_break = -cols[kept] if later_first else cols[kept]
    return kept[np.lexsort((tie_break, -scores[kept], rows[kept]))]


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
