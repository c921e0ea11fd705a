"""Building-plan scrutiny: read a DXF plan, measure it and check it against a rule set kept as data.

Qt-free. The contract other layers use is app.scrutiny.dto; the entry point is app.scrutiny.service.
"""
