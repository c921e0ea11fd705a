"""Building-permit applications: the workflow, fees as data, documents by content hash (issue 6)."""
