"""Receipts on paper: one document model (this package) that every renderer draws from.

Renderers: ESC/POS thermal (raster drawn by Qt, in ui/printing), PDF A5/A4 (ReportLab, app/reports),
and the on-screen preview. Nothing here draws; it decides what a receipt says."""
