"""The words our own pages use, in the site's language (Material's ``theme.language``).

Material translates its own interface; these are the few labels ``digest pages`` writes into
listing pages and article fragments. Dates are not here: Babel formats them per locale.
A language without an entry falls back to English, label by label.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "digest_of": "Digest, {day}",
        "archive": "Archive",
        "all_days": "All days in the archive",
        "categories": "Categories",
        "sources": "Sources",
        "no_articles": "No articles yet.",
        "page_of": "Page {page} of {pages}",
        "newer": "Newer",
        "older": "Older",
        "reading_time": "{minutes} min read",
        "by": "by {author}",
        "filed_under": "Filed under",
        "read_original": "Read the original at {source}",
        "the_source": "the source",
        "latest": "The latest articles of {site}",
        "feed": "Feed",
        "editors_note": "Editor's note",
    },
    "de": {
        "digest_of": "Digest, {day}",
        "archive": "Archiv",
        "all_days": "Alle Tage im Archiv",
        "categories": "Rubriken",
        "sources": "Quellen",
        "no_articles": "Noch keine Artikel.",
        "page_of": "Seite {page} von {pages}",
        "newer": "Neuer",
        "older": "Älter",
        "reading_time": "{minutes} Min. Lesezeit",
        "by": "von {author}",
        "filed_under": "Rubriken",
        "read_original": "Original bei {source} lesen",
        "the_source": "der Quelle",
        "latest": "Die neuesten Artikel von {site}",
        "feed": "Feed",
        "editors_note": "Anmerkung der Redaktion",
    },
    "hu": {
        "digest_of": "Hírösszefoglaló, {day}",
        "archive": "Archívum",
        "all_days": "Minden nap az archívumban",
        "categories": "Rovatok",
        "sources": "Források",
        "no_articles": "Még nincsenek cikkek.",
        "page_of": "{page}. oldal / {pages}",
        "newer": "Újabbak",
        "older": "Régebbiek",
        "reading_time": "{minutes} perc olvasás",
        "by": "Szerző: {author}",
        "filed_under": "Rovatok",
        "read_original": "Az eredeti cikk: {source}",
        "the_source": "a forrásnál",
        "latest": "{site}: a legfrissebb cikkek",
        "feed": "Hírcsatorna",
        "editors_note": "A szerkesztő jegyzete",
    },
    "fr": {
        "digest_of": "Revue du {day}",
        "archive": "Archives",
        "all_days": "Tous les jours dans les archives",
        "categories": "Rubriques",
        "sources": "Sources",
        "no_articles": "Pas encore d'articles.",
        "page_of": "Page {page} sur {pages}",
        "newer": "Plus récents",
        "older": "Plus anciens",
        "reading_time": "{minutes} min de lecture",
        "by": "par {author}",
        "filed_under": "Rubriques",
        "read_original": "Lire l'original sur {source}",
        "the_source": "la source",
        "latest": "Les derniers articles de {site}",
        "feed": "Flux",
        "editors_note": "Le mot de la rédaction",
    },
}


def label(language: str, key: str, **values) -> str:
    """``key`` in ``language`` ("de", "pt-BR", "hu_HU"), English where there is no translation."""
    base = language.replace("-", "_").split("_")[0].lower()
    text = LABELS.get(base, {}).get(key) or LABELS["en"][key]
    return text.format(**values)
