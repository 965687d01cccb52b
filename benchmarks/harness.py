"""Timing helpers shared by the benchmark scripts.

Each benchmark script measures bptorch and its raw-torch baselines on the same
work in one process and reports medians and ratios against a named baseline.
Run one script directly (``python benchmarks/bench_mlp.py``) or all of them with
``python benchmarks/run_all.py``, which writes ``benchmarks/RESULTS.md``.

Examples
--------
>>> from benchmarks.harness import median_times
>>> times = median_times({'noop': lambda: None}, min_time=0.01, rounds=3)
>>> times['noop'] >= 0
True
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from typing import Callable

import torch

__all__ = ['median_times', 'Report', 'parse_args', 'machine', 'sync',
           'first_call', 'compiler_setup']


def sync(device: torch.device) -> None:
    """Wait for queued GPU work (timing CUDA without this measures launches only)."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def median_times(fns: dict[str, Callable[[], object]], min_time: float = 0.2, rounds: int = 7,
                 device: torch.device | None = None) -> dict[str, float]:
    """Median seconds per call of each function, timed in interleaved rounds.

    Each round times a batch of calls of every function in turn, so slow drifts
    of the machine (clock, other load) hit all of them alike and their ratios
    stay fair.
    """
    device = device or torch.device('cpu')
    calls = {}
    for name, fn in fns.items():        # warm up, and size each batch to ~min_time
        for _ in range(3):
            fn()
        sync(device)
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < min_time / 4 or n < 2:
            fn()
            n += 1
        sync(device)
        calls[name] = max(1, int(min_time / max((time.perf_counter() - start) / n, 1e-9)))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            sync(device)
            t = time.perf_counter()
            for _ in range(calls[name]):
                fn()
            sync(device)
            samples[name].append((time.perf_counter() - t) / calls[name])
    return {name: statistics.median(v) for name, v in samples.items()}


def first_call(fn: Callable[[], object], device: torch.device) -> float:
    """Seconds taken by one call (for a compiled function: compile + run)."""
    sync(device)
    t = time.perf_counter()
    fn()
    sync(device)
    return time.perf_counter() - t


def compiler_setup(device: torch.device) -> float:
    """Compile a trivial function: the one-time cost of a process's first compile.

    Timed apart, so that the first calls measured afterwards compare fairly.
    """
    x = torch.ones(4, device=device)
    return first_call(lambda: torch.compile(lambda t: t * 2 + 1)(x), device)


def machine(device: torch.device) -> dict:
    info = {
        'python': platform.python_version(),
        'torch': torch.__version__,
        'platform': platform.platform(),
        'cpu_count': os.cpu_count(),
        'torch_threads': torch.get_num_threads(),
        'device': str(device),
    }
    if device.type == 'cuda':
        info['gpu'] = torch.cuda.get_device_name(device)
    return info


def parse_args(description: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    p.add_argument('--json', default=None, help='also write the rows to this JSON file')
    p.add_argument('--quick', action='store_true', help='short timings (smoke test)')
    args = p.parse_args()
    args.device = torch.device(args.device)
    args.min_time = 0.05 if args.quick else 0.3
    return args


class Report:
    """Rows of (case, variant, seconds), with ratios against each case's baseline."""

    def __init__(self, title: str, device: torch.device):
        self.title = title
        self.device = device
        self.rows: list[dict] = []
        self.notes: list[str] = []

    def add(self, case: str, variant: str, seconds: float, baseline: bool = False,
            target: float | None = None, limit_s: float | None = None) -> None:
        """One timing; ``target``: the most its ratio may be; ``limit_s``: the most seconds."""
        self.rows.append(dict(case=case, variant=variant, seconds=seconds, baseline=baseline,
                              target=target, limit_s=limit_s))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def ratios(self) -> list[dict]:
        base = {r['case']: r['seconds'] for r in self.rows if r['baseline']}
        out = []
        for r in self.rows:
            ratio = r['seconds'] / base[r['case']] if r['case'] in base else None
            met = None if (r['target'] is None or ratio is None) else ratio <= r['target']
            if r['limit_s'] is not None:
                met = r['seconds'] <= r['limit_s']
            out.append(dict(r, ratio=ratio, met=met))
        return out

    def emit(self, json_path: str | None) -> None:
        rows = self.ratios()
        print(f'## {self.title} ({self.device})')
        for r in rows:
            ratio = '' if r['ratio'] is None else f"{r['ratio']:.2f}x"
            goal = ''
            if r['target'] is not None:
                goal = f"  target <= {r['target']:.2f}x: {'met' if r['met'] else 'MISSED'}"
            if r['limit_s'] is not None:
                goal = f"  target <= {r['limit_s']:.0f} s: {'met' if r['met'] else 'MISSED'}"
            unit = 's' if r['seconds'] >= 1 else 'ms' if r['seconds'] >= 1e-3 else 'us'
            scale = {'s': 1, 'ms': 1e3, 'us': 1e6}[unit]
            print(f"{r['case']:<28} {r['variant']:<44} {r['seconds'] * scale:10.2f} {unit:<2} "
                  f"{ratio:>7}{goal}")
        for n in self.notes:
            print(f'note: {n}')
        sys.stdout.flush()
        if json_path:
            with open(json_path, 'w') as f:
                json.dump(dict(title=self.title, machine=machine(self.device), rows=rows,
                               notes=self.notes), f, indent=1)
