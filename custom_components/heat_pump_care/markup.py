"""Show text a device sent literally where Home Assistant renders Markdown."""

from __future__ import annotations

import re

# Markdown punctuation that can start a link, image, emphasis, code, heading, table or
# raw HTML; a backslash before any of them makes it literal (CommonMark escapes).
_SPECIAL = re.compile(r"([\\`*_\[\]<>&!#|~])")


def escape_markdown(text: str) -> str:
    """Escape device-provided text (names, descriptions) for Markdown and HTML."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
