"""Running a function over many parameter sets in processes (BrainPy 2.1.12's
``brainpy.running.process_pool`` and ``process_pool_lock``).

Examples
--------
>>> import bptorch as bp
>>> callable(bp.running.process_pool), callable(bp.running.process_pool_lock)
(True, True)
"""

from __future__ import annotations

import multiprocessing
from typing import Any, Callable, Sequence

__all__ = ['process_pool', 'process_pool_lock']


def _submit(pool: Any, func: Callable, all_net_params: Sequence, lock: Any = None) -> list:
    results = []
    for net_params in all_net_params:
        if isinstance(net_params, (list, tuple)):
            args = tuple(net_params) + ((lock,) if lock is not None else ())
            results.append(pool.apply_async(func, args=args))
        elif isinstance(net_params, dict):
            kwargs = dict(net_params)
            if lock is not None:
                kwargs.update(lock=lock)
            results.append(pool.apply_async(func, kwds=kwargs))
        else:
            raise ValueError('Unknown parameter type: ', type(net_params))
    return results


def process_pool(func: Callable, all_net_params: Sequence, nb_process: int) -> list:
    """Run ``func`` once per parameter set, in ``nb_process`` processes.

    Parameters
    ----------
    func : callable
        The function to run (importable by the worker processes, i.e. defined at the
        top level of a module).
    all_net_params : list or tuple
        The arguments of each call: a tuple (positional) or a dict (keywords).
    nb_process : int
        The number of processes.

    Returns
    -------
    results : list of multiprocessing.pool.AsyncResult
        One per call (``r.get()`` gives the value), as BrainPy returns them.
    """
    print('{} jobs total.'.format(len(all_net_params)))
    pool = multiprocessing.Pool(processes=nb_process)
    try:
        results = _submit(pool, func, all_net_params)
    finally:
        pool.close()
    pool.join()
    return results


def process_pool_lock(func: Callable, all_net_params: Sequence, nb_process: int) -> list:
    """Like :func:`process_pool`, with a shared lock passed to every call: as the last
    positional argument (tuple parameters) or as ``lock=`` (dict parameters), so that
    calls can take turns (``lock.acquire()`` ... ``lock.release()``).

    Returns
    -------
    results : list of multiprocessing.pool.AsyncResult
    """
    print('{} jobs total.'.format(len(all_net_params)))
    pool = multiprocessing.Pool(processes=nb_process)
    manager = multiprocessing.Manager()
    lock = manager.Lock()
    try:
        results = _submit(pool, func, all_net_params, lock=lock)
    finally:
        pool.close()
    pool.join()
    return results
