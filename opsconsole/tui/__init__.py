"""The terminal console (Textual). Screens ask the core for what they show and hand the
operator's choices back to core functions; nothing here writes a row itself."""
