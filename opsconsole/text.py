"""Text that enters the store and text that leaves it on a terminal (R-INPUT-4).

Control characters are refused on the way in, so no input can forge a line of output or of the
audit log; what is already stored is escaped on the way out."""

import re
import unicodedata

from .errors import DomainError

# Bidi overrides and isolates reorder what a terminal shows; line and paragraph separators
# break a line where a reader does not expect one. Refused with the C0/C1 controls.
_INVISIBLE = set("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad(char: str, multiline: bool) -> bool:
    if multiline and char in "\t\n":
        return False
    return unicodedata.category(char) in ("Cc", "Cs") or char in _INVISIBLE


# the characters _bad refuses, as one search (an import checks every field of every row):
# Cc is C0 and C1 with DEL, Cs the surrogates (tests/core/test_text.py: equal for every one)
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_ESCAPE_MULTILINE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def check(value: str | None, what: str, multiline: bool = False) -> str | None:
    """The value unchanged, or a refusal naming the field when it holds a control character."""
    if value is None:
        return None
    found = (_ESCAPE_MULTILINE if multiline else _ESCAPE).search(value)
    if found:
        raise DomainError(f"{what} holds a control character ({escape(found.group())}); "
                          "type it without one")
    return value


def has_control(value: str) -> bool:
    return _ESCAPE.search(value) is not None


def escape(value) -> str:
    """Text safe to print: every control character as a visible escape (\\x07, \\n)."""
    text = str(value)
    if not _ESCAPE.search(text):
        return text
    return _ESCAPE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace")
                       .decode("ascii"), text)


def blank_controls(value: str, by: str = "?") -> str:
    """Every control character replaced: for text that names a thing (a path, a URL) rather
    than quotes it."""
    return _ESCAPE.sub(by, value)


def indented(value, indent: str) -> str:
    """A long text's lines, each escaped, the ones after the first indented: a stored newline
    can only continue the text it belongs to."""
    return ("\n" + indent).join(escape(line) for line in str(value).split("\n"))
