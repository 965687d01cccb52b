"""Line plots, raster plots and animations (matplotlib, imported when a function runs).

Every data argument may be a NumPy array, a list, a tensor (on any device, with or
without gradient) or a Variable.

Examples
--------
>>> import matplotlib; matplotlib.use('Agg')
>>> import matplotlib.pyplot as plt, torch, bptorch as bp
>>> ts = torch.arange(100) * 0.1
>>> bp.visualize.line_plot(ts, torch.sin(ts)[:, None].repeat(1, 3), plot_ids=[0, 2],
...                        legend='V', show=False)
>>> [line.get_label() for line in plt.gca().get_lines()]
['V-0', 'V-2']
>>> plt.close('all')
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import torch

from bptorch import errors
from bptorch.math import settings
from bptorch.math.variables import Variable

__all__ = ['line_plot', 'raster_plot', 'animate_2D', 'animate_1D', 'remove_axis']

logger = logging.getLogger('bptorch.visualization')


def _np(x: Any) -> np.ndarray:
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _target(ax):
    """The object to draw on (``plt`` when no axes are given) and a function applying
    limits, labels and a title to the right axes."""
    import matplotlib.pyplot as plt
    axes = plt.gca() if ax is None else ax
    return (plt if ax is None else ax), axes


def _decorate(axes, xlim=None, ylim=None, xlabel=None, ylabel=None, title=None):
    if xlim is not None:
        axes.set_xlim(xlim[0], xlim[1])
    if ylim is not None:
        axes.set_ylim(ylim[0], ylim[1])
    if xlabel:
        axes.set_xlabel(xlabel)
    if ylabel:
        axes.set_ylabel(ylabel)
    if title:
        axes.set_title(title)


def line_plot(ts, val_matrix, plot_ids=None, ax=None, xlim=None, ylim=None,
              xlabel='Time (ms)', ylabel=None, legend=None, title=None, show=False, **kwargs):
    """Plot the trajectories of some units of a recorded variable.

    Parameters
    ----------
    ts : array-like
        The time of each step, shape ``(num_time,)``.
    val_matrix : array-like
        The recorded values, shape ``(num_time, ...)`` (flattened to
        ``(num_time, num_unit)``), e.g. a runner's monitor.
    plot_ids : int or sequence of int, optional
        The units to plot (default ``[0]``).
    ax : matplotlib Axes, optional
        Where to plot (the current axes if None).
    xlim, ylim : pair of float, optional
        The axis limits.
    xlabel, ylabel, title : str, optional
        The labels and the title.
    legend : str, optional
        The legend label; with several units, ``'{legend}-{id}'``.
    show : bool
        Whether to call ``plt.show()``.
    **kwargs
        Passed to ``ax.plot``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, numpy as np, bptorch as bp
    >>> fig, ax = plt.subplots()
    >>> bp.visualize.line_plot(np.arange(5.), np.arange(10.).reshape(5, 2), plot_ids=1, ax=ax,
    ...                        ylabel='V', xlim=(0, 4))
    >>> ax.get_lines()[0].get_ydata().tolist(), ax.get_ylabel(), ax.get_xlim()
    ([1.0, 3.0, 5.0, 7.0, 9.0], 'V', (np.float64(0.0), np.float64(4.0)))
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if plot_ids is None:
        plot_ids = [0]
    elif isinstance(plot_ids, (int, np.integer)):
        plot_ids = [int(plot_ids)]
    elif isinstance(plot_ids, (np.ndarray, torch.Tensor, Variable)) and np.ndim(_np(plot_ids)) == 1:
        plot_ids = _np(plot_ids).tolist()
    if not isinstance(plot_ids, (list, tuple)):
        raise errors.BrainPyError(f'"plot_ids" specifies the value index to plot, it must '
                                  f'be a list/tuple/1D numpy.ndarray, not {type(plot_ids)}.')
    values = _np(val_matrix)
    values = values.reshape((values.shape[0], -1))
    ts = _np(ts)
    target, axes = _target(ax)
    for idx in plot_ids:
        if legend:
            label = legend if len(plot_ids) == 1 else f'{legend}-{idx}'
            target.plot(ts, values[:, idx], label=label, **kwargs)
        else:
            target.plot(ts, values[:, idx], **kwargs)
    if legend:
        axes.legend()
    _decorate(axes, xlim, ylim, xlabel, ylabel, title)
    if show:
        plt.show()


def raster_plot(ts, sp_matrix, ax=None, marker='.', markersize=2, color='k',
                xlabel='Time (ms)', ylabel='Neuron index', xlim=None, ylim=None, title=None,
                show=False, **kwargs):
    """Plot spikes as dots: the time of each spike against the index of its neuron.

    Parameters
    ----------
    ts : array-like
        The time of each step, shape ``(num_time,)``.
    sp_matrix : array-like
        Spikes, shape ``(num_time, num_neuron)`` (nonzero = a spike).
    ax : matplotlib Axes, optional
        Where to plot (the current axes if None).
    marker : str
        The marker (combined with ``color`` into a format string, e.g. ``'.k'``).
    markersize : float
        The marker size.
    color : str
        A one-letter matplotlib colour.
    xlabel, ylabel, title : str, optional
        The labels and the title.
    xlim, ylim : pair of float, optional
        The axis limits.
    show : bool
        Whether to call ``plt.show()``.
    **kwargs
        Passed to ``ax.plot``.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, torch, bptorch as bp
    >>> spikes = torch.zeros(4, 3); spikes[1, 2] = 1; spikes[3, 0] = 1
    >>> fig, ax = plt.subplots()
    >>> bp.visualize.raster_plot(torch.arange(4) * 0.5, spikes, ax=ax)
    >>> line = ax.get_lines()[0]
    >>> line.get_xdata().tolist(), line.get_ydata().tolist(), ax.get_ylabel()
    ([0.5, 1.5], [2, 0], 'Neuron index')
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    if ts is None:
        raise errors.BrainPyError('Must provide "ts".')
    sp = _np(sp_matrix)
    if sp.ndim != 2:
        raise ValueError(f'raster_plot(sp_matrix): expected a 2-D (num_time, num_neuron) '
                         f'array, got shape {sp.shape}')
    ts = _np(ts)
    steps, index = np.nonzero(sp > 0.)
    target, axes = _target(ax)
    target.plot(ts[steps], index, marker + color, markersize=markersize, **kwargs)
    _decorate(axes, xlim or None, ylim or None, xlabel, ylabel, title)
    if show:
        plt.show()


def _finish(anim, save_path, show, gif_dpi, video_fps):
    import matplotlib.pyplot as plt
    from matplotlib import animation

    if save_path is None:
        if show:
            plt.show()
        return
    logger.warning(f'Saving the animation into {save_path} ...')
    if str(save_path).endswith('gif'):
        writer = 'pillow' if animation.writers.is_available('pillow') else 'imagemagick'
        anim.save(save_path, dpi=gif_dpi, writer=writer)
    elif str(save_path).endswith('mp4'):
        anim.save(save_path, writer='ffmpeg', fps=video_fps, bitrate=3000)
    else:
        anim.save(str(save_path) + '.mp4', writer='ffmpeg', fps=video_fps, bitrate=3000)


def animate_2D(values, net_size, dt=None, val_min=None, val_max=None, cmap=None,
               frame_delay=10, frame_step=1, title_size=10, figsize=None, gif_dpi=None,
               video_fps=None, save_path=None, show=True):
    """Animate a 2-D group's values (e.g. membrane potentials) as a heat map.

    Parameters
    ----------
    values : array-like
        Shape ``(num_step, height * width)``.
    net_size : pair of int
        ``(height, width)``.
    dt : float, optional
        The time of one step (for the titles); :func:`bptorch.math.get_dt` if None.
    val_min, val_max : float, optional
        The colour range (the data's range if None).
    cmap : str, optional
        The colour map.
    frame_delay : float
        The delay between frames (ms).
    frame_step : int
        Show one step in every ``frame_step`` (from step 1, as BrainPy).
    title_size : int
        The title's font size.
    figsize : pair of float, optional
        The figure size (default ``(6, 6)``).
    gif_dpi : int, optional
        The resolution of a saved GIF.
    video_fps : int, optional
        The frames per second of a saved video.
    save_path : str, optional
        Save to this path: ``.gif`` (Pillow, else ImageMagick), ``.mp4``, or else
        ``save_path + '.mp4'`` (both with ffmpeg).
    show : bool
        Whether to call ``plt.show()`` (when not saving).

    Returns
    -------
    anim : matplotlib.animation.FuncAnimation

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, torch, bptorch as bp
    >>> anim = bp.visualize.animate_2D(torch.rand(3, 12), net_size=(3, 4), figsize=(2, 2),
    ...                                show=False)
    >>> type(anim).__name__
    'FuncAnimation'
    >>> html = anim.to_jshtml()      # e.g. IPython.display.HTML(html) in a notebook
    >>> html.count('data:image/png')                 # steps 1 and 2
    2
    >>> plt.close('all')
    """
    import matplotlib.pyplot as plt
    from matplotlib import animation

    dt = settings.get_dt() if dt is None else dt
    values = _np(values)
    if values.ndim != 2:
        raise ValueError(f'animate_2D(values): expected shape (num_step, num_neuron), got '
                         f'{values.shape}')
    num_step, num_neuron = values.shape
    height, width = net_size
    if height * width != num_neuron:
        raise ValueError(f'animate_2D(net_size): {net_size} holds {height * width} neurons, '
                         f'values have {num_neuron}')
    val_min = values.min() if val_min is None else val_min
    val_max = values.max() if val_max is None else val_max
    figsize = figsize or (6, 6)
    fig = plt.figure(figsize=(figsize[0], figsize[1]), constrained_layout=True)
    fig.add_subplot(1, 1, 1)
    frames_data = values.reshape((num_step, height, width))

    def frame(t):
        fig.clf()
        ax = fig.add_subplot(1, 1, 1)
        mesh = ax.pcolor(frames_data[t], cmap=cmap, vmin=val_min, vmax=val_max)
        fig.colorbar(mesh, ax=ax)
        ax.axis('off')
        fig.suptitle(t="Time: {:.2f} ms".format((t + 1) * dt), fontsize=title_size,
                     fontweight='bold')
        return [ax]

    anim = animation.FuncAnimation(fig=fig, func=frame, frames=list(range(1, num_step, frame_step)),
                                   init_func=None, interval=frame_delay, repeat_delay=3000)
    _finish(anim, save_path, show, gif_dpi, video_fps)
    return anim


def _dynamic(var):
    if isinstance(var, dict):
        if 'ys' not in var:
            raise ValueError('animate_1D: a dynamical variable given as a dict must provide "ys"')
        ys = _np(var['ys'])
        xs = _np(var['xs']) if 'xs' in var else np.arange(ys.shape[-1])
        out = {'ys': ys, 'xs': xs, 'legend': var.get('legend')}
    elif isinstance(var, (np.ndarray, torch.Tensor, Variable, list)):
        ys = _np(var)
        out = {'ys': ys, 'xs': np.arange(ys.shape[-1]) if ys.ndim else None, 'legend': None}
    else:
        raise ValueError(f'Unknown data type: {type(var)}')
    if out['ys'].ndim != 2:
        raise ValueError(f'Dynamic variable must be 2D data, got shape {out["ys"].shape}.')
    return out


def _static(var):
    if isinstance(var, dict):
        key = 'ys' if 'ys' in var else 'data' if 'data' in var else None
        if key is None:
            raise ValueError('animate_1D: a static variable given as a dict must provide "ys"')
        ys = _np(var[key])
        xs = _np(var['xs']) if 'xs' in var else np.arange(ys.shape[0]) if ys.ndim else None
        out = {'ys': ys, 'xs': xs, 'legend': var.get('legend')}
    elif isinstance(var, (np.ndarray, torch.Tensor, Variable)):
        ys = _np(var)
        out = {'ys': ys, 'xs': np.arange(ys.shape[0]) if ys.ndim else None, 'legend': None}
    else:
        raise ValueError(f'Unknown static data type: {type(var)}')
    if out['ys'].ndim != 1:
        raise ValueError(f'Static variable must be 1D data, got shape {out["ys"].shape}.')
    return out


def animate_1D(dynamical_vars, static_vars=(), dt=None, xlim=None, ylim=None, xlabel=None,
               ylabel=None, frame_delay=50., frame_step=1, title_size=10, figsize=None,
               gif_dpi=None, video_fps=None, save_path=None, show=True, **kwargs):
    """Animate 1-D data changing over time (e.g. the potentials along a chain of neurons).

    Parameters
    ----------
    dynamical_vars : array-like, dict, or list of them
        Data of shape ``(num_step, num_x)``; a dict gives ``'ys'`` and optionally
        ``'xs'`` (the x positions) and ``'legend'``.
    static_vars : array-like, dict, or list of them
        Curves drawn on every frame: 1-D data, or dicts with ``'ys'`` (or
        ``'data'``) and optionally ``'xs'`` and ``'legend'``.
    dt : float, optional
        The time of one step (for the titles); :func:`bptorch.math.get_dt` if None.
    xlim, ylim : pair of float, optional
        The axis limits (``ylim`` defaults to the data's range, widened by 2%).
    xlabel, ylabel : str, optional
        The axis labels.
    frame_delay : float
        The delay between frames (ms).
    frame_step : int
        Show one step in every ``frame_step`` (from step 1, as BrainPy).
    title_size : int
        The title's font size.
    figsize : pair of float, optional
        The figure size (default ``(6, 6)``).
    gif_dpi, video_fps, save_path, show
        As in :func:`animate_2D`.
    **kwargs
        Passed to ``ax.plot``.

    Returns
    -------
    figure : matplotlib.figure.Figure
        The figure (as BrainPy); its animation is ``figure.animation`` (a
        ``FuncAnimation``, kept there so that it stays alive).

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, torch, bptorch as bp
    >>> ys = torch.sin(torch.linspace(0, 6, 40))[None] * torch.linspace(0, 1, 3)[:, None]
    >>> fig = bp.visualize.animate_1D({'ys': ys, 'legend': 'wave'}, static_vars=ys[-1],
    ...                               dt=0.5, figsize=(2, 2), show=False)
    >>> type(fig.animation).__name__
    'FuncAnimation'
    >>> fig.animation.to_jshtml().count('data:image/png')
    2
    >>> plt.close('all')
    """
    import matplotlib.pyplot as plt
    from matplotlib import animation

    dt = settings.get_dt() if dt is None else dt
    fig = plt.figure(figsize=(figsize or (6, 6)), constrained_layout=True)
    fig.add_subplot(1, 1, 1)

    if isinstance(dynamical_vars, (tuple, list)) and len(dynamical_vars) and \
            isinstance(dynamical_vars[0], (dict, np.ndarray, torch.Tensor, Variable)):
        dynamic = [_dynamic(v) for v in dynamical_vars]
    else:
        dynamic = [_dynamic(dynamical_vars)]
    lengths = [v['ys'].shape[0] for v in dynamic]
    if any(n != lengths[0] for n in lengths):
        raise ValueError(f'Dynamic variables must have equal length, got {lengths}.')
    if isinstance(static_vars, (tuple, list)):
        static = [_static(v) for v in static_vars]
    else:
        static = [_static(static_vars)]
    has_legend = any(v['legend'] is not None for v in dynamic + static)

    if ylim is None:
        lo = min(float(v['ys'].min()) for v in dynamic + static)
        hi = max(float(v['ys'].max()) for v in dynamic + static)
        ylim = (lo * 0.98 if lo > 0 else lo * 1.02, hi * 1.02 if hi > 0 else hi * 0.98)

    def frame(t):
        fig.clf()
        ax = fig.add_subplot(1, 1, 1)
        for v in dynamic:
            ax.plot(v['xs'], v['ys'][t], label=v['legend'], **kwargs)
        for v in static:
            ax.plot(v['xs'], v['ys'], label=v['legend'], **kwargs)
        if xlim is not None:
            ax.set_xlim(xlim[0], xlim[1])
        if has_legend:
            ax.legend()
        if xlabel:
            ax.set_xlabel(xlabel)
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.set_ylim(ylim[0], ylim[1])
        fig.suptitle(t="Time: {:.2f} ms".format((t + 1) * dt), fontsize=title_size,
                     fontweight='bold')
        return [ax]

    anim = animation.FuncAnimation(fig=fig, func=frame, frames=range(1, lengths[0], frame_step),
                                   init_func=None, interval=frame_delay, repeat_delay=3000)
    fig.animation = anim
    _finish(anim, save_path, show, gif_dpi, video_fps)
    return fig


def remove_axis(ax, *pos: str):
    """Hide some spines of an axes (BrainPy 2.3's helper).

    Parameters
    ----------
    ax : matplotlib Axes
    *pos : {'left', 'right', 'top', 'bottom'}
        The spines to hide.

    Examples
    --------
    >>> import matplotlib; matplotlib.use('Agg')
    >>> import matplotlib.pyplot as plt, bptorch as bp
    >>> fig, ax = plt.subplots()
    >>> bp.visualize.remove_axis(ax, 'top', 'right')
    >>> ax.spines['top'].get_visible(), ax.spines['left'].get_visible()
    (False, True)
    >>> plt.close(fig)
    """
    for p in pos:
        if p not in ('left', 'right', 'top', 'bottom'):
            raise ValueError(f"remove_axis: expected 'left', 'right', 'top' or 'bottom', got {p!r}")
        ax.spines[p].set_visible(False)
