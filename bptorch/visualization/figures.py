"""Figure layout helpers (matplotlib is imported when a function is called).

Examples
--------
>>> import matplotlib; matplotlib.use('Agg')
>>> import bptorch as bp
>>> fig, gs = bp.visualize.get_figure(2, 3)
>>> fig.get_size_inches().tolist(), gs.get_geometry()
([18.0, 6.0], (2, 3))
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

__all__ = ['get_figure']


def get_figure(row_num: int, col_num: int, row_len: float = 3, col_len: float = 6,
               name: str | None = None):
    """A figure with a constrained layout and a ``row_num x col_num`` GridSpec.

    Parameters
    ----------
    row_num, col_num : int
        The numbers of rows and columns.
    row_len, col_len : float
        The height of each row and the width of each column (inches).
    name : str, optional
        The figure's label (``plt.figure(name)``; BrainPy 2.3's argument).

    Returns
    -------
    fig_and_gs : tuple
        ``(figure, gridspec)``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, bptorch as bp
    >>> fig, gs = bp.visualize.get_figure(1, 2, row_len=2, col_len=4)
    >>> ax = fig.add_subplot(gs[0, 1])
    >>> fig.get_size_inches().tolist()
    [8.0, 2.0]
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.gridspec import GridSpec

    size = (col_num * col_len, row_num * row_len)
    if name is None:
        fig = plt.figure(figsize=size, constrained_layout=True)
    else:
        fig = plt.figure(name, figsize=size, constrained_layout=True)
    return fig, GridSpec(row_num, col_num, figure=fig)
