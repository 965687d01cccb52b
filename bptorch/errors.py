"""Exceptions raised by bptorch.

Every error names the argument or object at fault and says what was expected.

Examples
--------
>>> import bptorch as bp
>>> issubclass(bp.errors.UniqueNameError, bp.errors.BrainPyError)
True
"""

__all__ = ['BrainPyError', 'MathError', 'UniqueNameError', 'StateLoadError', 'UnsupportedError']


class BrainPyError(Exception):
    """Base class of every bptorch-specific error."""


class MathError(BrainPyError):
    """A math or transform call that cannot be honoured (BrainPy's ``MathError``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.zeros(2))
    >>> try:
    ...     v.value = bm.zeros(3)
    ... except bm.MathError as e:
    ...     print(type(e).__name__)
    MathError
    """


class UniqueNameError(BrainPyError):
    """Two live ``bp.Base`` objects were given the same name."""


class StateLoadError(BrainPyError, KeyError):
    """A state file or state dict does not match the model it is loaded into."""

    def __str__(self):  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ''


class UnsupportedError(BrainPyError, ValueError):
    """An option BrainPy does not support, such as an unknown ``reduction`` (BrainPy's
    ``UnsupportedError``; also a ``ValueError``).

    Examples
    --------
    >>> import bptorch as bp
    >>> try:
    ...     bp.losses.cross_entropy_loss([[0., 1.]], [1], reduction='max')
    ... except bp.errors.UnsupportedError as e:
    ...     print(e)
    Only support reduction of "mean", "sum" and "none", but we got "max".
    """
