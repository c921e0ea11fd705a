"""Solid-waste user charges (issue 5)."""
