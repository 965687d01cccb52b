"""Visualization on matplotlib: ``bp.visualize`` (BrainPy's class) and ``bp.visualization``.

matplotlib is not imported by ``import bptorch``; each function imports it when it
runs. Data may be NumPy arrays, tensors or Variables.

Examples
--------
>>> import sys, bptorch as bp
>>> callable(bp.visualize.animate_2D), callable(bp.visualization.line_plot)
(True, True)
"""

from bptorch.visualization.base import visualize
from bptorch.visualization.figures import get_figure
from bptorch.visualization.plots import animate_1D, animate_2D, line_plot, raster_plot, remove_axis
from bptorch.visualization.styles import plot_style1

__all__ = ['visualize', 'get_figure', 'line_plot', 'raster_plot', 'animate_1D', 'animate_2D',
           'remove_axis', 'plot_style1']
