"""A bracketed paste holding an ESC (R-INPUT-4): Textual's parser read what followed the ESC
as keys, so a paste of coloured text with a line break in it sent the form it was pasted into.
Every ESC inside a paste now reaches the parser as a stand-in, and the field leaves the escape
sequences out as it does for any paste."""

from textual import events
from textual._xterm_parser import XTermParser

from opsconsole.tui import paste
from opsconsole.tui.widgets import pasted

START, END = paste.START, paste.END
# a key, ESC pressed alone, a paste of coloured text over two lines, Enter, a second paste
STREAM = (f"a\x1b{START}ok \x1b[31mred\x1b[0m\r\nnext\x1b]8;;http://x\x07link{END}\r"
          f"{START}plain{END}")


def test_an_esc_inside_a_paste_is_a_stand_in_and_outside_it_is_left_alone():
    out = paste.PasteGuard()(STREAM)
    assert out.count("\x1b") == STREAM.count("\x1b") - 3  # the three inside the first paste
    assert out.startswith(f"a\x1b{START}ok {paste.STAND_IN}[31mred")
    assert out.endswith(f"link{END}\r{START}plain{END}")


def test_the_stream_split_anywhere_reads_the_same():
    whole = paste.PasteGuard()(STREAM)
    for cut in range(1, len(STREAM)):
        guard = paste.PasteGuard()
        assert guard(STREAM[:cut]) + guard(STREAM[cut:]) == whole, cut


def parse(data: str, reads: int) -> list:
    paste.install()
    parser = XTermParser()
    step = -(-len(data) // reads)
    tokens = []
    for start in range(0, len(data), step):
        tokens.extend(parser.feed(data[start:start + step]))
    return tokens


def test_a_paste_with_escapes_and_a_line_break_sends_no_keys():
    for reads in (1, 3, 7, len(STREAM)):
        tokens = parse(STREAM, reads)
        keys = [t.key for t in tokens if isinstance(t, events.Key)]
        pastes = [pasted(t.text) for t in tokens if isinstance(t, events.Paste)]
        assert pastes == ["ok red nextlink", "plain"], reads
        assert "enter" not in keys[:2] and keys.count("enter") == 1, (reads, keys)
        assert keys[0] == "a"
