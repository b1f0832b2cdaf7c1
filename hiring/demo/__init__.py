"""``hiring demo``: a complete example run on an embedded SQLite database."""
