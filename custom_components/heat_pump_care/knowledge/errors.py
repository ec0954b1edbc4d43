"""Exceptions of the knowledge package."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Raised when the fault knowledge data cannot be read or is invalid.

    One exception type for every data problem, so callers (the integration's setup, the CLI,
    tests) need a single ``except``; the message always names the file and, where there is
    one, the family and code at fault.
    """
