"""Day-end: count by denomination, expected vs counted, Daily Collection Summary, close the session."""
