"""The day's registers on screen (issue 3 item 6)."""
