"""Stage 7: which posts are about the same thing. A pure function of the posts.

Similarity is cosine over TF-IDF vectors of title (weighted) and text. For stable pages an
article's "See also" only ever lists coverage published before it, so it never changes once
written; newer coverage reaches older articles through a separate "Follow-up" list.
"""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.feature_extraction.text import TfidfVectorizer

from digest.posts import Post

DUPLICATE_SCORE = 0.97      # this close is the same text, not a related story


@dataclass(frozen=True)
class Links:
    see_also: dict[str, tuple[str, ...]]    # src -> srcs of earlier related posts
    follow_ups: dict[str, tuple[str, ...]]  # src -> srcs of later related posts


def document(post: Post) -> str:
    # The title says what the story is about more densely than the body: count it thrice.
    return " ".join([post.title] * 3 + [post.summary, post.text])


def similarity_matrix(posts: list[Post]):
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=1, max_df=0.5 if len(posts) > 10 else 1.0,
                                 token_pattern=r"(?u)\b\w\w+\b")
    vectors = vectorizer.fit_transform([document(post) for post in posts])
    return (vectors @ vectors.T).tocsr()


def compute_links(posts: list[Post], k: int, min_score: float) -> Links:
    see_also: dict[str, tuple[str, ...]] = {}
    follow_ups: dict[str, tuple[str, ...]] = {}
    if len(posts) < 2 or k == 0:
        return Links({}, {})
    scores = similarity_matrix(posts)
    order = {post.src: (post.date, post.src) for post in posts}
    for row, post in enumerate(posts):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        candidates = sorted(
            ((-float(score), posts[col].src) for col, score in
             zip(scores.indices[start:end], scores.data[start:end])
             if col != row and min_score <= score < DUPLICATE_SCORE),
        )  # best first; ties broken by path, so the order never depends on dict order
        earlier = [src for _, src in candidates if order[src] < order[post.src]]
        later = [src for _, src in candidates if order[src] > order[post.src]]
        if earlier:
            see_also[post.src] = tuple(earlier[:k])
        if later:
            follow_ups[post.src] = tuple(later[:k])
    return Links(see_also, follow_ups)
