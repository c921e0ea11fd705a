"""DCB statement screen (issue 5)."""
