"""What the screens and the command line show, computed once: plain data from the core, no
Textual and no click. A number shown in two places is computed here."""
