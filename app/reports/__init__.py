"""Paper in A4/A5 PDF (ReportLab Platypus, shaped Devanagari): the receipt (receipt_pdf), the demand
notice with its UPI payment QR (demand_notice, upi) and the day-end registers (registers).
Every text goes through fonts.markup() into a shaping Paragraph; nothing here imports Qt."""
