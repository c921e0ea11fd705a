"""The desktop side of sync: status bar field, Sync now, clock banner, conflicts screen, worker wrapper."""
