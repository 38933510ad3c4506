"""Exceptions that the CLI turns into one ``Error:`` line and a non-zero exit."""


class DigestError(Exception):
    """A fatal problem with the user's input; the message names the file, line or key."""


class ConfigError(DigestError):
    """``mkdocs.yml`` (``extra: digest:``) is missing or holds a bad setting."""


class FeedListError(DigestError):
    """``feeds.txt`` cannot be read or has a bad line."""
