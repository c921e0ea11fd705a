"""Counter collection: counter sessions, receipts and their numbering, cancellation, day-end."""
