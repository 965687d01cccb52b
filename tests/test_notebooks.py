"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel without an error.

Skipped where nbclient is not installed (the GPU check machine lacks it).
"""

import os
import pathlib

import pytest

nbclient = pytest.importorskip('nbclient')
nbformat = pytest.importorskip('nbformat')

NOTEBOOK_DIR = pathlib.Path(__file__).resolve().parents[1] / 'notebooks'
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob('*.ipynb'))
CELL_TIMEOUT = 300      # seconds per cell (the slowest cell compiles with torch.compile)

# The notebooks work on tiny tensors. With torch's default of one OpenMP thread per
# core, a small machine shared with other processes makes every small op spin-wait
# for busy cores (a 1000-step MLP loop measured 0.3 s with one thread, 5 to 55 s
# with two under load), so the kernel runs with one thread unless told otherwise.
KERNEL_ENV = {**os.environ, 'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', '1')}


def test_the_notebooks_are_there():
    assert {'quickstart.ipynb', 'porting_from_brainpy.ipynb', 'gpu_training.ipynb',
            'training_with_bp_nn.ipynb', 'ei_network.ipynb'} <= set(NOTEBOOKS)


@pytest.mark.parametrize('name', NOTEBOOKS)
def test_notebook_is_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == 'code':
            assert not cell.outputs and cell.execution_count is None, (
                f'{name}: cell {i} holds outputs; clear them before committing')


@pytest.mark.parametrize('name', NOTEBOOKS)
def test_notebook_runs(name):
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, kernel_name='python3', timeout=CELL_TIMEOUT, startup_timeout=120,
        allow_errors=False, resources={'metadata': {'path': str(NOTEBOOK_DIR)}})
    try:
        client.execute(env=KERNEL_ENV)
    except nbclient.exceptions.CellExecutionError as e:
        pytest.fail(f'{name}: a cell raised an error\n{e}', pytrace=False)
