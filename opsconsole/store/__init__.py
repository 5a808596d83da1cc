"""The database: models, opening a path or URL, and the read queries the screens need."""
