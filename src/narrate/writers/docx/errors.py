"""The error about a user's Word file (reference or target document)."""

from __future__ import annotations


class WordFileError(ValueError):
    """A user's Word file (reference or target document) that narrate cannot use.

    The message, in Chinese, names the file and what is wrong with it.
    """
