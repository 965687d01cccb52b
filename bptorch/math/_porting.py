"""BrainPy 2.1.12 ``brainpy.math`` names that bptorch does not provide, and why.

``bm.<name>`` for one of these raises an ``AttributeError`` carrying the reason
(the module ``__getattr__`` of :mod:`bptorch.math` reads :data:`STAYS_OUT`), so a
ported program stops at the first such name with a message rather than computing
something else.
"""

STAYS_OUT: dict[str, str] = {
}
"""Name -> the reason bptorch has no such name (one line each, for the porting table)."""
