"""Policy rules: one small module a rule, each a :class:`rules.base.Rule` subclass.

The registry in :mod:`rules.registry` lists them; nothing here imports Qt.
"""
