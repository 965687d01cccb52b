"""The deprecated classes of :mod:`bptorch.compat`, made by :func:`deprecated_class`.

Examples
--------
>>> import warnings, bptorch as bp
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter('always')
...     mon = bp.Monitor(['V'])
>>> str(w[0].message)
'Please use "brainpy.running.Monitor" instead. "brainpy.Monitor" is deprecated since version 2.1.0.'
"""

from __future__ import annotations

import warnings

from bptorch import dyn
from bptorch.running import monitor

__all__ = ['deprecated_class', 'DynamicalSystem', 'Container', 'Network', 'ConstantDelay',
           'NeuGroup', 'TwoEndConn', 'Monitor', 'DSRunner', 'StructRunner', 'ReportRunner']


def deprecated_class(base: type, old: str, new: str, version: str, module: str,
                     period: str = '') -> type:
    """A subclass of ``base`` named like it whose instances warn that ``old`` is deprecated
    in favour of ``new`` (BrainPy 2.1.12's message)."""
    message = (f'Please use "{new}" instead. "{old}" is deprecated since version '
               f'{version}{period}')

    def __init__(self, *args, **kwargs):
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        base.__init__(self, *args, **kwargs)

    name = base.__name__
    old_bp, new_bp = old.replace('brainpy.', 'bp.', 1), new.replace('brainpy.', 'bp.', 1)
    doc = (f'``{old_bp}``: deprecated since BrainPy {version}, use ``{new_bp}`` (a subclass '
           f'of it whose instances warn).\n\n'
           f'    Examples\n    --------\n'
           f'    >>> import bptorch as bp\n'
           f'    >>> issubclass({old_bp}, {new_bp})\n    True\n')
    cls = type(name, (base,), {'__init__': __init__, '__doc__': doc, '__module__': module})
    cls.__qualname__ = name
    return cls


_here = __name__
DynamicalSystem = deprecated_class(dyn.DynamicalSystem, 'brainpy.DynamicalSystem',
                                   'brainpy.dyn.DynamicalSystem', '2.0.3', _here)
Container = deprecated_class(dyn.Container, 'brainpy.Container', 'brainpy.dyn.Container',
                             '2.0.3', _here)
Network = deprecated_class(dyn.Network, 'brainpy.Network', 'brainpy.dyn.Network', '2.0.3', _here)
ConstantDelay = deprecated_class(dyn.ConstantDelay, 'brainpy.ConstantDelay',
                                 'brainpy.dyn.ConstantDelay', '2.0.3', _here)
NeuGroup = deprecated_class(dyn.NeuGroup, 'brainpy.NeuGroup', 'brainpy.dyn.NeuGroup', '2.0.3',
                            _here)
TwoEndConn = deprecated_class(dyn.TwoEndConn, 'brainpy.TwoEndConn', 'brainpy.dyn.TwoEndConn',
                              '2.0.3', _here)
Monitor = deprecated_class(monitor.Monitor, 'brainpy.Monitor', 'brainpy.running.Monitor', '2.1.0',
                           _here, period='.')
DSRunner = deprecated_class(dyn.DSRunner, 'brainpy.DSRunner', 'brainpy.dyn.DSRunner', '2.1.0',
                            _here)
StructRunner = deprecated_class(dyn.StructRunner, 'brainpy.StructRunner',
                                'brainpy.dyn.StructRunner', '2.1.0', _here)
ReportRunner = deprecated_class(dyn.ReportRunner, 'brainpy.ReportRunner',
                                'brainpy.dyn.ReportRunner', '2.1.0', _here)
