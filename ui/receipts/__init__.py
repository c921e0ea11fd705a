"""Receipts of a day: list, reprint (DUPLICATE), cancel (supervisor), cheque dishonour."""
