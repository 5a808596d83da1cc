"""Support cases (R-CASE-*): severity, targets on business days, the status machine, and the
cases part of each date. Beside the billing core; neither imports the other."""
