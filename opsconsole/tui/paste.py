"""Bracketed pastes that hold an ESC.

Textual's parser takes an ESC inside a bracketed paste as the start of a key sequence: up to
the paste's end, what follows it comes out as keys (a line break as Enter, which sends the
form) and not as the paste. Before the parser sees the terminal's input, each ESC inside a
paste is swapped for a stand-in character; a field turns it back before it leaves the escape
sequences out (widgets.pasted, R-INPUT-4)."""

START, END = "\x1b[200~", "\x1b[201~"
STAND_IN = "\ue01b"  # private use: no terminal sends it


class PasteGuard:
    """The terminal's input, read by read, with every ESC inside a paste swapped."""

    def __init__(self) -> None:
        self.inside = False
        self.held = ""  # the start of a paste's END, cut off by the end of a read
        self.begun = 0  # how much of a START the last read ended with (passed on as it was)

    def __call__(self, data: str) -> str:
        data, self.held = self.held + data, ""
        out, i = [], 0
        if self.begun:  # a START cut by the ends of reads
            rest = START[self.begun:]
            if rest.startswith(data):
                self.begun += len(data)
                return data
            if data.startswith(rest):
                out.append(rest)
                i, self.inside = len(rest), True
        self.begun = 0
        while i < len(data):
            if not self.inside:
                j = data.find(START, i)
                if j < 0:
                    # never held: a lone ESC at the end of a read is the Escape key
                    self.begun = next((n for n in range(min(len(START) - 1, len(data) - i),
                                                        0, -1) if data.endswith(START[:n])), 0)
                    out.append(data[i:])
                    break
                out.append(data[i:j + len(START)])
                i, self.inside = j + len(START), True
                continue
            j = data.find(END, i)
            if j < 0:
                rest = data[i:]
                k = rest.rfind("\x1b")
                if k >= 0 and END.startswith(rest[k:]):  # the END goes on in the next read
                    rest, self.held = rest[:k], rest[k:]
                out.append(rest.replace("\x1b", STAND_IN))
                break
            out.append(data[i:j].replace("\x1b", STAND_IN) + END)
            i, self.inside = j + len(END), False
        return "".join(out)


def install() -> None:
    """Every XTermParser (the terminal's, the browser's) reads through a PasteGuard of its own."""
    from textual._xterm_parser import XTermParser

    if getattr(XTermParser.feed, "guarded", False):
        return
    feed = XTermParser.feed

    def guarded_feed(self, data: str):
        if not data:  # the end of input
            return feed(self, data)
        guard = self.__dict__.setdefault("_paste_guard", PasteGuard())
        data = guard(data)
        return feed(self, data) if data else ()  # all held: no data is the end of input

    guarded_feed.guarded = True  # type: ignore[attr-defined]
    XTermParser.feed = guarded_feed  # type: ignore[method-assign]
