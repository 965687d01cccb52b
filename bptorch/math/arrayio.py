"""Reading, writing and printing arrays with NumPy's names (``bm.save``, ``bm.load``,
``bm.loadtxt``, ``bm.array_str``, ``bm.set_printoptions``...).

Files are NumPy's formats, written and read by NumPy on host copies: ``bm.save``
/ ``bm.savez`` / ``bm.savetxt`` accept tensors and Variables, ``bm.load`` /
``bm.loadtxt`` / ``bm.genfromtxt`` / ``bm.fromfile`` return tensors (NumPy float64
data becomes the default float, as everywhere in ``bm``). ``bm.load`` of an
``.npz`` file returns a dict of tensors.

The print options apply to both torch tensors and NumPy arrays: ``set_printoptions``
sets torch's (``precision``, ``threshold``, ``edgeitems``, ``linewidth``, and
``suppress`` as ``sci_mode=False``) and NumPy's; options only NumPy has
(``formatter``, ``sign``...) reach NumPy's printing (``array_str``...) only.

Examples
--------
>>> import bptorch.math as bm
>>> bm.array_str(bm.asarray([1., 2.5]))
'[1.  2.5]'
>>> with bm.printoptions(precision=2):
...     print(bm.asarray([1 / 3]))
tensor([0.33])
"""

from __future__ import annotations

import ast
import contextlib
import os
import sys
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.arraytypes import as_numpy
from bptorch.math.indexing import indices
from bptorch.math.ops import _dt
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'save', 'savez', 'savez_compressed', 'load', 'savetxt', 'loadtxt', 'genfromtxt', 'fromfile',
    'frombuffer', 'fromstring', 'fromiter', 'fromfunction', 'array_repr', 'array_str',
    'array2string', 'set_printoptions', 'get_printoptions', 'printoptions', 'disp', 'info',
    'safe_eval', 'show_config',
]


def _host(x: Any) -> Any:
    return as_numpy(x) if isinstance(x, (Tensor, Variable)) else x


def _np_dtype(dtype: Any) -> Any:
    """A dtype argument as NumPy reads it (torch dtypes converted)."""
    if isinstance(dtype, torch.dtype):
        return torch.empty((), dtype=dtype).numpy().dtype
    return dtype


def _from_numpy(arr: Any, dtype: Any = None) -> Any:
    if isinstance(arr, np.ndarray):
        return as_tensor(arr, None if dtype is None else _dt(dtype))
    return arr


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------

def save(file: Any, arr: Any, allow_pickle: bool = True, fix_imports: bool = True) -> None:
    """Save an array to a NumPy ``.npy`` file (``numpy.save``; ``fix_imports`` is accepted
    for compatibility and has no effect).

    Examples
    --------
    >>> import os, tempfile, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.npy')
    >>> bm.save(path, bm.arange(3)); bm.load(path)
    tensor([0, 1, 2])
    """
    np.save(file, _host(arr), allow_pickle=allow_pickle)


def savez(file: Any, *args: Any, **kwds: Any) -> None:
    """Save several arrays to an uncompressed ``.npz`` file (``numpy.savez``).

    Examples
    --------
    >>> import os, tempfile, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.npz')
    >>> bm.savez(path, w=bm.ones(2)); bm.load(path)['w']
    tensor([1., 1.])
    """
    np.savez(file, *[_host(a) for a in args], **{k: _host(v) for k, v in kwds.items()})


def savez_compressed(file: Any, *args: Any, **kwds: Any) -> None:
    """Save several arrays to a compressed ``.npz`` file (``numpy.savez_compressed``).

    Examples
    --------
    >>> import os, tempfile, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.npz')
    >>> bm.savez_compressed(path, bm.zeros(2)); bm.load(path)['arr_0']
    tensor([0., 0.])
    """
    np.savez_compressed(file, *[_host(a) for a in args], **{k: _host(v) for k, v in kwds.items()})


def load(file: Any, mmap_mode: str | None = None, allow_pickle: bool = False,
         fix_imports: bool = True, encoding: str = 'ASCII') -> Any:
    """Load arrays from a ``.npy`` file (a tensor) or an ``.npz`` file (a dict of tensors)
    (``numpy.load``; pickled objects are returned as NumPy loads them).

    Examples
    --------
    >>> import os, tempfile, numpy as np, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.npy')
    >>> np.save(path, np.arange(2.)); bm.load(path)
    tensor([0., 1.])
    """
    r = np.load(file, mmap_mode=mmap_mode, allow_pickle=allow_pickle, encoding=encoding)
    if isinstance(r, np.lib.npyio.NpzFile):
        with r:
            return {k: _from_numpy(r[k]) for k in r.files}
    if isinstance(r, np.ndarray) and r.dtype != object:
        return as_tensor(np.array(r))
    return r


def savetxt(fname: Any, X: Any, fmt: str = '%.18e', delimiter: str = ' ', newline: str = '\n',
            header: str = '', footer: str = '', comments: str = '# ',
            encoding: str | None = None) -> None:
    """Save a 1-D or 2-D array to a text file (``numpy.savetxt``).

    Examples
    --------
    >>> import os, tempfile, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.txt')
    >>> bm.savetxt(path, bm.asarray([[1., 2.]])); bm.loadtxt(path)
    tensor([1., 2.])
    """
    np.savetxt(fname, _host(X), fmt=fmt, delimiter=delimiter, newline=newline, header=header,
               footer=footer, comments=comments, encoding=encoding)


def loadtxt(*args: Any, **kwargs: Any) -> Tensor:
    """Load an array from a text file (``numpy.loadtxt``, same arguments).

    Examples
    --------
    >>> import io, bptorch.math as bm
    >>> bm.loadtxt(io.StringIO('1 2\\n3 4'))
    tensor([[1., 2.],
            [3., 4.]])
    """
    dtype = kwargs.get('dtype')
    if dtype is not None:
        kwargs['dtype'] = _np_dtype(dtype)
    return as_tensor(np.loadtxt(*args, **kwargs), None if dtype is None else _dt(dtype))


def genfromtxt(*args: Any, **kwargs: Any) -> Tensor:
    """Load an array from a text file with missing values (``numpy.genfromtxt``, same
    arguments; missing values are NaN by default).

    Examples
    --------
    >>> import io, bptorch.math as bm
    >>> bm.genfromtxt(io.StringIO('1,2\\n3,'), delimiter=',')
    tensor([[1., 2.],
            [3., nan]])
    """
    dtype = kwargs.get('dtype')
    if dtype is not None:
        kwargs['dtype'] = _np_dtype(dtype)
    return as_tensor(np.genfromtxt(*args, **kwargs), None if dtype is None else _dt(dtype))


def fromfile(file: Any, dtype: Any = float, count: int = -1, sep: str = '', offset: int = 0) -> Tensor:
    """An array from the raw data (or text, with ``sep``) of a file (``numpy.fromfile``).

    ``dtype`` is the type of the stored data, as NumPy reads it (``float`` is float64
    there); the result then has bptorch's dtype for it (``float``: the default float).

    Examples
    --------
    >>> import os, tempfile, numpy as np, bptorch.math as bm
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.bin')
    >>> np.arange(3, dtype=np.int32).tofile(path)
    >>> bm.fromfile(path, dtype=bm.int32)
    tensor([0, 1, 2], dtype=torch.int32)
    """
    return as_tensor(np.fromfile(file, dtype=_np_dtype(dtype), count=count, sep=sep,
                                 offset=offset), _dt(dtype))


def frombuffer(buffer: Any, dtype: Any = float, count: int = -1, offset: int = 0) -> Tensor:
    """An array from the bytes of ``buffer`` (``numpy.frombuffer``; ``dtype`` as in
    :func:`fromfile`). The result is a copy.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.frombuffer(b'\\x01\\x02', dtype=bm.uint8)
    tensor([1, 2], dtype=torch.uint8)
    """
    arr = np.frombuffer(buffer, dtype=_np_dtype(dtype), count=count, offset=offset)
    return as_tensor(arr.copy(), _dt(dtype))


def fromstring(string: str, dtype: Any = float, count: int = -1, *, sep: str) -> Tensor:
    """An array from the numbers in a text string separated by ``sep`` (``numpy.fromstring``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fromstring('1 2 3', dtype=int, sep=' ')
    tensor([1, 2, 3])
    """
    return as_tensor(np.fromstring(string, dtype=_np_dtype(dtype), count=count, sep=sep),
                     _dt(dtype))


def fromiter(iterable: Any, dtype: Any, count: int = -1) -> Tensor:
    """A 1-D array from the values of an iterable (``numpy.fromiter``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fromiter((i * i for i in range(4)), dtype=bm.int32)
    tensor([0, 1, 4, 9], dtype=torch.int32)
    """
    return as_tensor(np.fromiter(iterable, dtype=_np_dtype(dtype), count=count), _dt(dtype))


def fromfunction(function: Callable, shape: Any, dtype: Any = float, **kwargs: Any) -> Any:
    """``function`` called once with the index grids of ``shape`` (one array per axis,
    of ``dtype``) (``numpy.fromfunction``); its result is returned as it is.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fromfunction(lambda i, j: i + 10 * j, (2, 2), dtype=int)
    tensor([[ 0, 10],
            [ 1, 11]])
    """
    grids = indices(shape, dtype=dtype)
    return function(*grids.unbind(0), **kwargs)


# ---------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------

def array_repr(arr: Any, max_line_width: int | None = None, precision: int | None = None,
               suppress_small: bool | None = None) -> str:
    """The NumPy ``repr`` of an array's values (``numpy.array_repr``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array_repr(bm.asarray([1, 2]))
    'array([1, 2])'
    """
    return np.array_repr(as_numpy(arr), max_line_width, precision, suppress_small)


def array_str(a: Any, max_line_width: int | None = None, precision: int | None = None,
              suppress_small: bool | None = None) -> str:
    """The NumPy ``str`` of an array's values (``numpy.array_str``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array_str(bm.asarray([[1, 2]]))
    '[[1 2]]'
    """
    return np.array_str(as_numpy(a), max_line_width, precision, suppress_small)


def array2string(a: Any, max_line_width: int | None = None, precision: int | None = None,
                 suppress_small: bool | None = None, separator: str = ' ', prefix: str = '',
                 **kwargs: Any) -> str:
    """A string of an array's values, formatted by NumPy (``numpy.array2string``; the
    other keywords, ``formatter``, ``threshold``..., are NumPy's).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array2string(bm.asarray([1., 2.]), separator=', ')
    '[1., 2.]'
    """
    return np.array2string(as_numpy(a), max_line_width, precision, suppress_small, separator,
                           prefix, **kwargs)


_TORCH_DEFAULTS = {'precision': 4, 'threshold': 1000, 'edgeitems': 3, 'linewidth': 80,
                   'suppress': False}
_torch_opts = dict(_TORCH_DEFAULTS)


def _apply_torch(opts: dict) -> None:
    torch.set_printoptions(precision=opts['precision'], threshold=opts['threshold'],
                           edgeitems=opts['edgeitems'], linewidth=opts['linewidth'],
                           sci_mode=False if opts['suppress'] else None)


def set_printoptions(precision: int | None = None, threshold: int | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     suppress: bool | None = None, **kwargs: Any) -> None:
    """Set how arrays print, for torch tensors and NumPy arrays (``numpy.set_printoptions``).

    ``precision``, ``threshold``, ``edgeitems``, ``linewidth`` and ``suppress`` (no
    scientific notation) apply to both; NumPy-only keywords (``nanstr``, ``formatter``,
    ``sign``, ``floatmode``, ``legacy``...) go to NumPy only. Arguments left out keep
    their current values.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_printoptions(precision=2); print(bm.asarray([1 / 3]))
    tensor([0.33])
    >>> bm.set_printoptions(precision=4); print(bm.asarray([1 / 3]))
    tensor([0.3333])
    """
    given = {'precision': precision, 'threshold': threshold, 'edgeitems': edgeitems,
             'linewidth': linewidth, 'suppress': suppress}
    for k, v in given.items():
        if v is not None:
            _torch_opts[k] = v
    _apply_torch(_torch_opts)
    np.set_printoptions(**{k: v for k, v in given.items() if v is not None}, **kwargs)


def get_printoptions() -> dict:
    """The current print options (``numpy.get_printoptions``): NumPy's, with the shared
    ones (``precision``, ``threshold``, ``edgeitems``, ``linewidth``, ``suppress``) as set
    through :func:`set_printoptions` (torch has no getter of its own).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_printoptions()['edgeitems']
    3
    """
    opts = dict(np.get_printoptions())
    opts.update(_torch_opts)
    return opts


@contextlib.contextmanager
def printoptions(*args: Any, **kwargs: Any) -> Iterator[dict]:
    """A context manager that sets print options (see :func:`set_printoptions`) and
    restores the previous ones on exit (``numpy.printoptions``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> with bm.printoptions(precision=1):
    ...     print(bm.asarray([0.25]))
    tensor([0.2])
    >>> print(bm.asarray([0.25]))
    tensor([0.2500])
    """
    saved_np = np.get_printoptions()
    saved_torch = dict(_torch_opts)
    try:
        set_printoptions(*args, **kwargs)
        yield get_printoptions()
    finally:
        _torch_opts.update(saved_torch)
        _apply_torch(_torch_opts)
        np.set_printoptions(**saved_np)


def disp(mesg: Any, device: Any = None, linefeed: bool = True) -> None:
    """Write ``mesg`` to ``device`` (a file; ``sys.stdout`` by default) (``numpy.disp``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.disp('hello')
    hello
    """
    device = sys.stdout if device is None else device
    device.write(f'{mesg}\n' if linefeed else f'{mesg}')
    device.flush()


def info(object: Any = None, maxwidth: int = 76, output: Any = None, toplevel: str = 'numpy') -> None:
    """Print the documentation of ``object`` (``numpy.info``).

    Examples
    --------
    >>> import io, bptorch.math as bm
    >>> out = io.StringIO(); bm.info(bm.remove_diag, output=out)
    >>> 'diagonal' in out.getvalue()
    True
    """
    np.info(object, maxwidth=maxwidth, output=output, toplevel=toplevel)


def safe_eval(source: str) -> Any:
    """Evaluate a string holding a Python literal (numbers, strings, tuples, lists, dicts,
    sets, booleans, None) and nothing else (``numpy.safe_eval``, i.e. ``ast.literal_eval``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.safe_eval('[1, 2.5, (3, 4)]')
    [1, 2.5, (3, 4)]
    """
    return ast.literal_eval(source)


def show_config() -> None:
    """Print how torch was built (bptorch's counterpart of ``numpy.show_config``) and the
    current device and default dtypes.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.show_config()  # doctest: +ELLIPSIS
    PyTorch built with:
    ...
    """
    print(torch.__config__.show().strip())
    print(f'bptorch: default device {settings.default_device()}, float {settings.float_()}, '
          f'int {settings.int_()}, complex {settings.complex_()}{os.linesep}', end='')
