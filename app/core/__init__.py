"""The document core: templates as data and text, positions, edits, writers, atomic saves.

No Qt, no rules: everything above builds on this floor.
"""
