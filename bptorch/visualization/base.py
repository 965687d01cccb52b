"""``bp.visualize``: BrainPy 2.1's namespace class of plotting functions.

Examples
--------
>>> import bptorch as bp
>>> bp.visualize.raster_plot is bp.visualization.raster_plot
True
"""

from bptorch.visualization.figures import get_figure
from bptorch.visualization.plots import animate_1D, animate_2D, line_plot, raster_plot, remove_axis
from bptorch.visualization.styles import plot_style1

__all__ = ['visualize']


class visualize:
    """BrainPy's ``bp.visualize``: the plotting functions as static methods.

    ``get_figure``, ``line_plot``, ``raster_plot``, ``animate_1D``, ``animate_2D``,
    ``remove_axis`` and ``plot_style1`` (see :mod:`bptorch.visualization`).
    matplotlib is imported only when one of them runs.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, numpy as np, bptorch as bp
    >>> fig, gs = bp.visualize.get_figure(1, 1)
    >>> ax = fig.add_subplot(gs[0, 0])
    >>> bp.visualize.line_plot(np.arange(3.), np.ones((3, 1)), ax=ax)
    >>> len(ax.get_lines())
    1
    >>> plt.close(fig)
    """

    get_figure = staticmethod(get_figure)
    line_plot = staticmethod(line_plot)
    raster_plot = staticmethod(raster_plot)
    animate_1D = staticmethod(animate_1D)
    animate_2D = staticmethod(animate_2D)
    remove_axis = staticmethod(remove_axis)
    plot_style1 = staticmethod(plot_style1)
