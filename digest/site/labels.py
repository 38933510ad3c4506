"""The words our own pages use, in the site's language (Material's ``theme.language``).

Material translates its own interface; these are the few labels ``digest pages`` writes into
listing pages and article fragments, and the texts of the appeal's script (``appeal_*``, each
overridable in mkdocs.yml, see digest/support.py). Dates are not here: Babel formats them per locale.
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
        "appeal_count": "You have read {count} articles here in the last 30 days.",
        "appeal_not_now": "Not now",
        "appeal_quiet": "This digest is free because readers fund it.",
        "appeal_already_member": "I'm already a member",
        "appeal_thanks": "Thank you for being a member: you keep this digest free for everyone.",
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
        "appeal_count": "Sie haben hier in den letzten 30 Tagen {count} Artikel gelesen.",
        "appeal_not_now": "Nicht jetzt",
        "appeal_quiet": "Dieser Digest ist frei, weil Leserinnen und Leser ihn finanzieren.",
        "appeal_already_member": "Ich bin schon Mitglied",
        "appeal_thanks": "Danke für Ihre Mitgliedschaft: Sie halten diesen Digest für alle frei.",
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
        "appeal_count": "Az elmúlt 30 napban {count} cikket olvastál nálunk.",
        "appeal_not_now": "Most nem",
        "appeal_quiet": "Ez a hírösszefoglaló azért ingyenes, mert az olvasói fenntartják.",
        "appeal_already_member": "Már tag vagyok",
        "appeal_thanks": "Köszönjük, hogy tag vagy: te tartod mindenki számára ingyenesen elérhetővé.",
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
        "appeal_count": "Vous avez lu {count} articles ici ces 30 derniers jours.",
        "appeal_not_now": "Pas maintenant",
        "appeal_quiet": "Cette revue est gratuite parce que ses lecteurs la financent.",
        "appeal_already_member": "Je suis déjà membre",
        "appeal_thanks": "Merci d'être membre : vous gardez cette revue gratuite pour tous.",
    },
}


def label(language: str, key: str, **values) -> str:
    """``key`` in ``language`` ("de", "pt-BR", "hu_HU"), English where there is no translation."""
    base = language.replace("-", "_").split("_")[0].lower()
    text = LABELS.get(base, {}).get(key) or LABELS["en"][key]
    return text.format(**values)
