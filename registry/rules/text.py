"""Text that must survive every output format: XML 1.0 and XLSX refuse most C0 control characters.

A title pasted from a word processor or extracted from a damaged PDF can carry them (a vertical tab, a
form feed, U+0000); the registry keeps what it was given, and each output drops only what that format
cannot hold, so one odd character never turns an export or the feed into a 500.
"""

from __future__ import annotations

import re

# XML 1.0 Char: tab, newline and carriage return are the only C0 characters allowed; U+FFFE/U+FFFF never.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 (and so XLSX and Atom) cannot contain."""
    return _NOT_XML.sub("", text)


def has_control(text: str) -> bool:
    """True when ``text`` holds a control character other than tab, newline or carriage return."""
    return _NOT_XML.search(text) is not None
