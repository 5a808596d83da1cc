"""A subscription's states, in the order lists show them; light to import (the command line
offers them as choices before any store is opened)."""

SUB_STATES = ("trial", "active", "overdue", "paused", "deactivated")
