"""Solid-waste user-charge screen (issue 5)."""
