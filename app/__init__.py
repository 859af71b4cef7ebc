"""CFN Doctor application core: documents, parsing, writing, edits, analysis, CLI.

Nothing in this package imports Qt; the GUI entry point loads ``widgets`` lazily.
"""
