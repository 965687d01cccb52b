"""bm's file I/O and printing names: round trips through NumPy's formats, print options."""

import io

import numpy as np
import pytest
import torch

import bptorch.math as bm


def test_save_load_roundtrips(tmp_path):
    v = bm.Variable(bm.arange(6.).reshape(2, 3))
    bm.save(tmp_path / 'a.npy', v)
    assert torch.equal(bm.load(tmp_path / 'a.npy'), v.value)
    assert np.array_equal(np.load(tmp_path / 'a.npy'), v.value.numpy())
    bm.savez(tmp_path / 'b.npz', v, w=bm.ones(2, dtype=bm.int32))
    d = bm.load(tmp_path / 'b.npz')
    assert set(d) == {'arr_0', 'w'} and d['w'].dtype == torch.int32 and torch.equal(d['arr_0'], v.value)
    bm.savez_compressed(tmp_path / 'c.npz', x=bm.zeros(3))
    assert torch.equal(bm.load(tmp_path / 'c.npz')['x'], torch.zeros(3))
    bm.savetxt(tmp_path / 'd.txt', v, fmt='%.2f', delimiter=',')
    assert torch.equal(bm.loadtxt(tmp_path / 'd.txt', delimiter=','), v.value)
    assert bm.loadtxt(tmp_path / 'd.txt', delimiter=',', dtype=bm.float64).dtype == torch.float64
    arr = np.arange(5, dtype=np.int16)
    arr.tofile(tmp_path / 'e.bin')
    assert torch.equal(bm.fromfile(tmp_path / 'e.bin', dtype=np.int16), torch.arange(5, dtype=torch.int16))


def test_from_functions():
    assert torch.equal(bm.frombuffer(np.arange(3, dtype=np.int32).tobytes(), dtype=bm.int32),
                       torch.arange(3, dtype=torch.int32))
    f = bm.frombuffer(np.array([1.5, 2.5]).tobytes())   # float64 bytes -> the default float
    assert f.dtype == torch.float32 and f.tolist() == [1.5, 2.5]
    assert torch.equal(bm.fromstring('1,2,3', dtype=int, sep=','), torch.tensor([1, 2, 3]))
    assert torch.equal(bm.fromiter(range(4), dtype=bm.float64), torch.arange(4, dtype=torch.float64))
    r = bm.fromfunction(lambda i, j: i * 10 + j, (2, 3))
    assert r.dtype == torch.float32 and np.array_equal(r.numpy(), np.fromfunction(lambda i, j: i * 10 + j, (2, 3)))
    g = bm.genfromtxt(io.StringIO('1,2\n3,'), delimiter=',')
    assert np.allclose(g.numpy(), [[1, 2], [3, np.nan]], equal_nan=True)


def test_printing():
    x = bm.asarray([[1.25, -2.], [3., 4.5]])
    assert bm.array_str(x) == np.array_str(x.numpy())
    assert bm.array_repr(x) == np.array_repr(x.numpy())
    assert bm.array2string(x, separator=',', precision=1) == np.array2string(x.numpy(), separator=',', precision=1)
    assert bm.array_repr(bm.Variable(bm.ones(2))) == np.array_repr(np.ones(2, np.float32))


def test_print_options_reach_torch_and_numpy():
    before_np = np.get_printoptions()
    with bm.printoptions(precision=2, suppress=True, linewidth=50):
        assert str(torch.tensor([1 / 3])) == 'tensor([0.33])'
        assert np.get_printoptions()['precision'] == 2
        opts = bm.get_printoptions()
        assert opts['precision'] == 2 and opts['suppress'] and opts['linewidth'] == 50
    assert str(torch.tensor([1 / 3])) == 'tensor([0.3333])'
    assert np.get_printoptions() == before_np
    try:
        bm.set_printoptions(threshold=5, edgeitems=1)
        assert '...' in str(torch.arange(10))
        assert bm.get_printoptions()['threshold'] == 5
    finally:
        bm.set_printoptions(threshold=1000, edgeitems=3)
        np.set_printoptions(**before_np)
    assert '...' not in str(torch.arange(10))


def test_misc(capsys):
    bm.disp('hi')
    bm.disp(3, linefeed=False)
    assert capsys.readouterr().out == 'hi\n3'
    assert bm.safe_eval('{"a": (1, 2.5)}') == {'a': (1, 2.5)}
    with pytest.raises(ValueError):
        bm.safe_eval('__import__("os")')
    out = io.StringIO()
    bm.info(bm.pad, output=out)
    assert 'pad' in out.getvalue()
    bm.show_config()
    assert 'PyTorch built with' in capsys.readouterr().out
