"""The property register: properties, owners, units, return filings, search and import."""
