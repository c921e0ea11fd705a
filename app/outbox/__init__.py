"""The transactional outbox: operations for the central, written in the same transaction as their
effects. sync/ (the sync issue) reads and pushes them; app/ only appends."""
