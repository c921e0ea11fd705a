"""Small shared widgets and formatting for every screen (money, dates, messages, settings)."""
