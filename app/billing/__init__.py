"""One bill and one receipt across property tax, water, trade licence and user charges (issue 5)."""
