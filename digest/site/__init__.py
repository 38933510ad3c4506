"""The site: posts on disk -> the files MkDocs (or Zensical) builds the publication from.

``related`` links articles to each other; ``build.build_site`` is the site step (``listings``,
``fragments``, ``feeds``, and what the theme reads: ``theme``, ``appeal``, ``buildconfig``);
``outputs`` writes the result. ``urls`` owns every path and URL rule, ``markup`` the escaping,
``locale`` and ``labels`` the publication's language. Nothing here imports ``digest.ingest``.
"""
