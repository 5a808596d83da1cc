"""A subscription's states, in the order lists show them, and the dates any date may be; light
to import (the command line offers them as choices before any store is opened)."""

import datetime as dt

SUB_STATES = ("trial", "active", "overdue", "paused", "deactivated")
# R-INPUT-1's dates: the first and last any date entered or stored may be (billing/limits)
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2199, 12, 31)
