"""bp.visualize / bp.visualization on matplotlib's Agg backend."""

import subprocess
import sys

import matplotlib

matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402

import bptorch as bp  # noqa: E402
import bptorch.math as bm  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close('all')


def test_namespaces():
    assert bp.visualize is bp.visualization.visualize
    for name in ('get_figure', 'line_plot', 'raster_plot', 'animate_1D', 'animate_2D',
                 'remove_axis', 'plot_style1'):
        assert getattr(bp.visualize, name) is getattr(bp.visualization, name)


def test_no_module_level_matplotlib_import():
    import ast
    import pathlib
    root = pathlib.Path(bp.__file__).parent
    for path in root.rglob('*.py'):
        tree = ast.parse(path.read_text())
        for node in tree.body:                 # statements run at import time
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) \
                    else [node.module or '']
                assert not any(n.split('.')[0] == 'matplotlib' for n in names), path


@pytest.mark.slow
def test_import_does_not_load_matplotlib():
    code = 'import sys, bptorch; print("matplotlib" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == 'False'


def test_get_figure():
    fig, gs = bp.visualize.get_figure(2, 3, row_len=2, col_len=4)
    assert fig.get_size_inches().tolist() == [12., 4.] and gs.get_geometry() == (2, 3)
    assert fig.get_layout_engine() is not None
    fig2, _ = bp.visualize.get_figure(1, 1, name='mine')
    assert fig2.get_label() == 'mine'


@pytest.mark.parametrize('kind', ['numpy', 'tensor', 'grad', 'variable', 'list'])
def test_line_plot_accepts_arrays_tensors_and_variables(kind):
    ts = np.arange(20) * 0.1
    values = np.cos(ts)[:, None] * np.arange(1, 4)
    data = {'numpy': values, 'tensor': torch.tensor(values),
            'grad': torch.tensor(values, requires_grad=True) * 1.,
            'variable': bm.Variable(torch.tensor(values)), 'list': values.tolist()}[kind]
    fig, ax = plt.subplots()
    bp.visualize.line_plot(torch.tensor(ts), data, plot_ids=[0, 2], ax=ax, legend='V',
                           title='t', ylabel='mV', xlim=(0, 1), ylim=(-4, 4), color='r')
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ['V-0', 'V-2']
    np.testing.assert_allclose(lines[1].get_ydata(), values[:, 2])
    np.testing.assert_allclose(lines[0].get_xdata(), ts)
    assert lines[0].get_color() == 'r'
    assert ax.get_title() == 't' and ax.get_ylabel() == 'mV' and ax.get_xlabel() == 'Time (ms)'
    assert ax.get_xlim() == (0, 1) and ax.get_ylim() == (-4, 4)
    assert ax.get_legend() is not None


def test_line_plot_defaults_and_plot_ids():
    values = np.arange(24.).reshape(4, 2, 3)              # flattened to (4, 6)
    bp.visualize.line_plot(np.arange(4), values)          # the current axes, unit 0
    ax = plt.gca()
    assert len(ax.get_lines()) == 1 and ax.get_legend() is None
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), values.reshape(4, 6)[:, 0])
    fig, ax = plt.subplots()
    bp.visualize.line_plot(np.arange(4), values, plot_ids=np.array([5, 1]), ax=ax, legend='x')
    assert [line.get_label() for line in ax.get_lines()] == ['x-5', 'x-1']
    fig, ax = plt.subplots()
    bp.visualize.line_plot(np.arange(4), values, plot_ids=3, ax=ax, legend='only')
    assert [line.get_label() for line in ax.get_lines()] == ['only']
    with pytest.raises(bp.errors.BrainPyError, match='plot_ids'):
        bp.visualize.line_plot(np.arange(4), values, plot_ids='0')


def test_labels_go_to_the_given_axes_not_the_current_one():
    fig, (a, b) = plt.subplots(1, 2)
    plt.sca(b)
    bp.visualize.line_plot(np.arange(3), np.ones((3, 1)), ax=a, title='left', xlim=(0, 2))
    bp.visualize.raster_plot(np.arange(3), np.eye(3), ax=a, ylim=(-1, 3))
    assert a.get_title() == 'left' and b.get_title() == ''
    assert a.get_xlim() == (0, 2) and a.get_ylim() == (-1, 3)
    assert a.get_ylabel() == 'Neuron index' and b.get_ylabel() == ''


def test_raster_plot(device):
    rng = np.random.RandomState(0)
    sp = rng.rand(50, 8) < 0.1
    ts = np.arange(50) * 0.1
    fig, ax = plt.subplots()
    bp.visualize.raster_plot(torch.tensor(ts, device=device), torch.tensor(sp, device=device),
                             ax=ax, markersize=3, color='b', title='spikes')
    (line,) = ax.get_lines()
    steps, neurons = np.where(sp)
    np.testing.assert_allclose(line.get_xdata(), ts[steps])
    np.testing.assert_array_equal(line.get_ydata(), neurons)
    assert line.get_marker() == '.' and line.get_markersize() == 3 and line.get_color() == 'b'
    assert line.get_linestyle() == 'None'
    assert ax.get_xlabel() == 'Time (ms)' and ax.get_title() == 'spikes'
    with pytest.raises(bp.errors.BrainPyError, match='ts'):
        bp.visualize.raster_plot(None, sp)


def test_raster_plot_of_a_measure_matches_measure_raster():
    sp = (np.random.RandomState(1).rand(30, 5) < 0.2).astype(float)
    ts = np.arange(30.)
    index, time = bp.measure.raster_plot(sp, ts)
    bp.visualize.raster_plot(ts, sp)
    line = plt.gca().get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), time)
    np.testing.assert_array_equal(line.get_ydata(), index)


def test_plot_style1_and_remove_axis():
    with matplotlib.rc_context():
        bp.visualize.plot_style1(fontsize=14, axes_edgecolor='gray', figsize='4,3', lw=2)
        rc = matplotlib.rcParams
        assert rc['text.usetex'] and rc['axes.labelsize'] == 14 and rc['xtick.labelsize'] == 12
        assert rc['axes.edgecolor'] == 'gray' and rc['figure.figsize'] == [4., 3.]
        assert rc['lines.linewidth'] == 2 and 'lmodern' in rc['text.latex.preamble']
    assert not matplotlib.rcParams['text.usetex']
    fig, ax = plt.subplots()
    bp.visualize.remove_axis(ax, 'top', 'right')
    assert [ax.spines[p].get_visible() for p in ('top', 'right', 'left', 'bottom')] == \
        [False, False, True, True]
    with pytest.raises(ValueError, match='top'):
        bp.visualize.remove_axis(ax, 'middle')


def test_animate_2D_frames_and_gif(tmp_path):
    values = torch.arange(4 * 6, dtype=torch.float32).reshape(4, 6)
    anim = bp.visualize.animate_2D(values, net_size=(2, 3), dt=0.5, frame_step=2,
                                   figsize=(2, 2), show=False)
    assert type(anim).__name__ == 'FuncAnimation'
    fig = plt.gcf()                                       # the animation's figure
    path = tmp_path / 'a.gif'
    anim.save(path, writer='pillow')                      # frames 1 and 3 (BrainPy's range)
    with Image.open(path) as im:
        assert im.n_frames == 2
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.collections[0].get_array(), values[3].reshape(2, 3).numpy())
    assert ax.collections[0].get_clim() == (0., 23.)
    assert fig.get_suptitle() == 'Time: 2.00 ms'
    # save_path writes the gif itself
    anim2 = bp.visualize.animate_2D(values.numpy(), (2, 3), val_min=-1, val_max=1, figsize=(2, 2),
                                    save_path=str(tmp_path / 'b.gif'))
    assert (tmp_path / 'b.gif').exists() and anim2 is not None
    with pytest.raises(ValueError, match='net_size'):
        bp.visualize.animate_2D(values, (2, 2), show=False)


def test_animate_1D_builds_frames(tmp_path):
    ys = torch.sin(torch.linspace(0, 6, 30))[None] * torch.linspace(0.5, 1, 3)[:, None]
    fig = bp.visualize.animate_1D(
        [{'ys': ys, 'xs': np.linspace(0, 1, 30), 'legend': 'wave'}, ys * 0.5],
        static_vars=[{'data': ys[-1].numpy(), 'legend': 'last'}],
        dt=1., xlabel='x', figsize=(2, 2), show=False)
    anim = fig.animation
    assert type(anim).__name__ == 'FuncAnimation'
    path = tmp_path / 'c.gif'
    anim.save(path, writer='pillow')
    with Image.open(path) as im:
        assert im.n_frames == 2                          # steps 1 and 2
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3 and [line.get_label() for line in lines][::2] == ['wave', 'last']
    np.testing.assert_allclose(lines[0].get_ydata(), ys[2].numpy())
    np.testing.assert_allclose(lines[0].get_xdata(), np.linspace(0, 1, 30))
    lo, hi = float(ys.min() * 1.02), float(ys.max() * 1.02)  # min < 0, max > 0
    np.testing.assert_allclose(ax.get_ylim(), (lo, hi), rtol=1e-6)
    assert ax.get_xlabel() == 'x' and fig.get_suptitle() == 'Time: 3.00 ms'
    with pytest.raises(ValueError, match='equal length'):
        bp.visualize.animate_1D([ys, ys[:2]], show=False)
    with pytest.raises(ValueError, match='2D'):
        bp.visualize.animate_1D(ys[0], show=False)
    with pytest.raises(ValueError, match='1D'):
        bp.visualize.animate_1D(ys, static_vars=ys, show=False)


def test_animate_uses_the_default_dt():
    try:
        bm.set_dt(0.25)
        fig = bp.visualize.animate_1D(np.ones((2, 3)), figsize=(2, 2), show=False)
        fig.animation.to_jshtml()
        assert fig.get_suptitle() == 'Time: 0.50 ms'
    finally:
        bm.set_dt(0.1)
