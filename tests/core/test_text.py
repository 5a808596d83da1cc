"""R-INPUT-4: the control characters refused on the way in, searched for by one expression,
are exactly those of the rule's definition (text._bad), for every code point."""

import sys

import pytest

from opsconsole import text
from opsconsole.errors import DomainError


@pytest.mark.parametrize("multiline", [False, True])
def test_R_INPUT_4_the_search_refuses_exactly_the_defined_characters(multiline):
    defined = {c for c in map(chr, range(sys.maxunicode + 1)) if text._bad(c, multiline)}
    pattern = text._ESCAPE_MULTILINE if multiline else text._ESCAPE
    found = set(pattern.findall("".join(map(chr, range(sys.maxunicode + 1)))))
    assert found == defined
    assert len(defined) > 65 + 2048  # C0, C1, DEL and the surrogates at least


def test_R_INPUT_4_check_names_the_first_control_character_and_keeps_clean_text():
    assert text.check("Zoë O'Brien", "name") == "Zoë O'Brien"
    assert text.check("a\nb\tc", "note", multiline=True) == "a\nb\tc"
    with pytest.raises(DomainError, match=r"name holds a control character \(\\x1b\)"):
        text.check("a\x1b[2Jb\u202e", "name")
    with pytest.raises(DomainError, match=r"\(\\n\)"):
        text.check("a\nb", "name")
    assert text.has_control("x\u2066") and not text.has_control("plain text")
