"""Changing what a subscription is billed for, and customer accounts: add-ons (R-ADDON-2),
change without proration (R-CHANGE-1), accounts (R-ACCOUNT-1)."""
