"""CSV import and export: the Subscription Import Form and the payment file."""
