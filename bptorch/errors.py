"""Every exception and warning class of bptorch.

Every error names the argument or object at fault and says what was expected.
The classes BrainPy 2.1 defines in ``brainpy.errors`` exist here under the same
names, so ``except bp.errors.MathError`` in ported code keeps working.

Examples
--------
>>> import bptorch as bp
>>> issubclass(bp.errors.UniqueNameError, bp.errors.BrainPyError)
True
>>> issubclass(bp.errors.ArgumentTypeError, TypeError), issubclass(bp.errors.ArgumentTypeError, ValueError)
(True, True)
"""

__all__ = [
    'BrainPyError', 'ModelBuildError', 'RunningError', 'IntegratorError', 'DiffEqError',
    'CodeError', 'AnalyzerError', 'PackageMissingError', 'BackendNotInstalled',
    'UniqueNameError', 'UnsupportedError', 'NoImplementationError', 'NoLongerSupportError',
    'ConnectorError', 'MonitorError', 'MathError', 'JaxTracerError', 'ConcretizationTypeError',
    'ArgumentTypeError', 'AssignError', 'StateLoadError', 'InPlaceWriteError',
    'JitFallbackWarning',
]


class BrainPyError(Exception):
    """Base class of every bptorch-specific error."""


class ModelBuildError(BrainPyError):
    """A model is built with inconsistent parts (BrainPy's ``ModelBuildError``)."""


class RunningError(BrainPyError):
    """A simulation or training run cannot go on (BrainPy's ``RunningError``)."""


class IntegratorError(BrainPyError):
    """A numerical integrator is misconfigured (BrainPy's ``IntegratorError``)."""


class DiffEqError(BrainPyError):
    """A differential equation is ill-formed (BrainPy's ``DiffEqError``)."""


class CodeError(BrainPyError):
    """BrainPy's ``CodeError`` (code generation; kept for ported ``except`` clauses)."""


class AnalyzerError(BrainPyError):
    """BrainPy's ``AnalyzerError`` (``bp.analysis`` is not part of bptorch yet)."""


class PackageMissingError(BrainPyError):
    """An optional package a feature needs is not installed."""


class BackendNotInstalled(BrainPyError):
    """BrainPy's ``BackendNotInstalled``."""


class UniqueNameError(BrainPyError):
    """Two live ``bp.Base`` objects were given the same name."""


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


class NoImplementationError(BrainPyError):
    """A method a subclass must implement is missing."""


class NoLongerSupportError(BrainPyError):
    """An API BrainPy removed."""


class ConnectorError(BrainPyError, ValueError):
    """A connector (``bp.connect``) was given sizes or parameters it cannot build with.

    It is also a ``ValueError``, so ``except ValueError`` catches it.

    Examples
    --------
    >>> import bptorch as bp
    >>> try:
    ...     bp.connect.One2One()(3, 4)
    ... except bp.errors.ConnectorError as e:
    ...     print(type(e).__name__)
    ConnectorError
    """


class MonitorError(BrainPyError):
    """A monitor target is unknown or ill-formed (BrainPy's ``MonitorError``)."""


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


class JaxTracerError(MathError):
    """BrainPy's ``JaxTracerError``: kept for ported ``except`` clauses (bptorch never
    leaks a transform's tensor, so it does not raise it)."""


class ConcretizationTypeError(Exception):
    """BrainPy's ``ConcretizationTypeError`` (kept for ported ``except`` clauses)."""


class ArgumentTypeError(MathError, TypeError, ValueError):
    """An argument of a transform has the wrong kind: a ``grad_vars`` / ``dyn_vars`` entry
    that is not a Variable (or a tensor the model holds), or a ``func`` that is not
    callable.

    BrainPy raises ``ValueError`` there and JAX ``TypeError``; this class is both
    (and a ``bm.MathError``), so code written against either catches it.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> try:
    ...     bm.grad(lambda x: x, grad_vars=[1.5])
    ... except ValueError as e:
    ...     print(type(e).__name__)
    ArgumentTypeError
    """


class AssignError(MathError, ValueError):
    """A value given to ``TensorCollector.assign`` does not fit its entry.

    It is a ``bm.MathError`` (what ``v.value = x`` raises for the same mistake)
    and a ``ValueError``.
    """


class InPlaceWriteError(MathError):
    """A tensor read from a Variable was changed in place inside a transform.

    Inside a transform, assignment is functional: write ``v.value = x``, ``v[i] = x`` or
    ``v += x`` instead of changing the tensor that ``v.value`` returned.
    """


class StateLoadError(BrainPyError, KeyError):
    """A state file or state dict does not match the model it is loaded into."""

    def __str__(self):  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ''


class JitFallbackWarning(UserWarning):
    """``bm.jit`` could not compile a function as one graph and runs it otherwise
    (with graph breaks, or eagerly); the message says why."""
