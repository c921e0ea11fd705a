"""The Water screen (issue 5): connections, meter readings, disconnection, demand runs."""
