"""Trade licence screens (issue 5)."""
