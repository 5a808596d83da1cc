"""The terminal console (Textual). Screens ask the core for what they show and hand the
operator's choices back to core functions; nothing here writes a row itself."""

import os

# A change is painted on the next tick of Textual's frame timer: at its default 60 a second
# the rows a search key brings wait up to 17 ms for it, at 120 up to 8. The timer runs only
# while something waits to be painted. Set before Textual is imported; the operator's own wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
