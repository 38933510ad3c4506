"""digest: feeds in, a mkdocs-material news-digest site out.

The ingest half (``digest fetch``) turns feeds into Markdown posts under ``docs/``;
the publish half is a plain ``mkdocs build``. See ``pipeline.run`` for the order.
"""

__version__ = "0.1.0"
