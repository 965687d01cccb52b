"""The main job (python -m bptorch.demo) runs, trains, and saves its loss curve."""

import subprocess
import sys

import pytest
import torch

from bptorch import demo


def test_demo_trains_tenfold_and_saves_a_curve(tmp_path, capsys):
    out = tmp_path / 'curve.png'
    final = demo.main(['--steps', '120', '--seed', '1', '--out', str(out)])
    text = capsys.readouterr().out
    assert out.exists() and out.stat().st_size > 1000
    assert f'loss curve saved to {out}' in text and 'final loss:' in text
    assert 'Example0.x' in text or '.x: TrainVar' in text        # the seed's model, by path
    before = float(text.split('held-out loss: ')[1].split(' before')[0])
    assert before / final >= 10, text


def test_train_eager_and_jit_agree():
    eager, before_e, after_e = demo.train(steps=5, seed=3, hidden=16, seq_len=10, jit=False,
                                          progress=False)
    jitted, before_j, after_j = demo.train(steps=5, seed=3, hidden=16, seq_len=10, jit=True,
                                           progress=False)
    assert before_e == pytest.approx(before_j)
    assert eager == pytest.approx(jitted, rel=1e-4, abs=1e-6)


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the no-GPU message')
def test_cuda_without_a_gpu_is_a_clear_error():
    run = subprocess.run([sys.executable, '-m', 'bptorch.demo', '--device', 'cuda', '--steps', '1'],
                         capture_output=True, text=True)
    assert run.returncode == 2 and 'CUDA is not available on this machine' in run.stderr
