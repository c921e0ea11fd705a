"""What came down from the central: sync bookkeeping, other counters' payments, conflicts."""
