"""The cash counter: search, dues, payment, confirmation, receipt preview, opening cash."""
