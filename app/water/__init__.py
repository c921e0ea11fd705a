"""Water connections, meter readings and water demand (issue 5)."""
