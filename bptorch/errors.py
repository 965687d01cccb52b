"""Exceptions raised by bptorch.

Every error names the argument or object at fault and says what was expected.

Examples
--------
>>> import bptorch as bp
>>> issubclass(bp.errors.UniqueNameError, bp.errors.BrainPyError)
True
"""

__all__ = ['BrainPyError', 'MathError', 'UniqueNameError', 'StateLoadError',
           'IntegratorError', 'DiffEqError', 'CodeError', 'UnsupportedError']


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


class IntegratorError(BrainPyError):
    """A numerical integrator cannot be built with the given options (BrainPy's class)."""


class DiffEqError(BrainPyError):
    """A differential equation is defined in a way the integrators cannot use."""


class CodeError(BrainPyError):
    """A name in a derivative function is reserved by the integrators (``dt``)."""


class UnsupportedError(BrainPyError):
    """An option BrainPy accepts but bptorch does not support."""
