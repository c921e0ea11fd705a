"""Nikay desktop client (PySide6). The only package that imports Qt; it calls app/ services only.

Layout: `launch` (entry points, kept import-light for fast start), `application` (QApplication,
fonts, translators, crash handler), `workers` (background operations), `context` (what every screen
is given), `main_window` (navigation host), one package per screen family (`login`, `counter`,
`receipts`, `dayend`), `common` (small shared widgets), `i18n` (translation build + runtime switch).
"""
