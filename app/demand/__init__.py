"""Demands: the yearly bill of each property by head, and what is due on a given day."""
