"""Plot styles.

Examples
--------
>>> import matplotlib; matplotlib.use('Agg')
>>> import bptorch as bp
>>> with matplotlib.rc_context():
...     bp.visualize.plot_style1(fontsize=12)
...     print(matplotlib.rcParams['axes.labelsize'])
12.0
"""

from __future__ import annotations

__all__ = ['plot_style1']


def plot_style1(fontsize: int = 22, axes_edgecolor: str = 'black', figsize='5,4', lw: int = 1):
    """A publication style: LaTeX text (Latin Modern), bold labels, no grid.

    It updates ``matplotlib.rcParams`` (as BrainPy does); rendering then needs a
    LaTeX installation, since ``text.usetex`` is on. Use it inside
    ``matplotlib.rc_context()`` to keep the change local.

    Parameters
    ----------
    fontsize : int
        The label and title size (tick labels are ``fontsize - 2``).
    axes_edgecolor : str
        The colour of the axes' edges.
    figsize : str or tuple
        The default figure size, e.g. ``'5,4'`` or ``(5, 4)``.
    lw : int
        The line width.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import bptorch as bp
    >>> with matplotlib.rc_context():
    ...     bp.visualize.plot_style1(figsize=(6, 3), lw=2)
    ...     print(matplotlib.rcParams['figure.figsize'], matplotlib.rcParams['text.usetex'])
    [6.0, 3.0] True
    """
    from matplotlib import rcParams

    rcParams['text.latex.preamble'] = r'\usepackage{amsmath, lmodern}'
    rcParams.update({
        'text.usetex': True,
        'font.family': 'lmodern',
        'text.color': 'black',
        'xtick.labelsize': fontsize - 2,
        'ytick.labelsize': fontsize - 2,
        'axes.labelsize': fontsize,
        'axes.labelweight': 'bold',
        'axes.edgecolor': axes_edgecolor,
        'axes.titlesize': fontsize,
        'axes.titleweight': 'bold',
        'pdf.fonttype': 42,
        'ps.fonttype': 42,
        'axes.grid': False,
        'axes.facecolor': 'white',
        'lines.linewidth': lw,
        'figure.figsize': figsize,
    })
