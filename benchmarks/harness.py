"""Timing helpers shared by the benchmark scripts.

Each benchmark script measures bptorch and its raw-torch baselines on the same
work in one process and reports medians and ratios against a named baseline.
Run one script directly (``python benchmarks/bench_mlp.py``) or all of them with
``python benchmarks/run_all.py``, which writes ``benchmarks/RESULTS.md``.

Examples
--------
>>> from benchmarks.harness import median_time
>>> median_time(lambda: None, min_time=0.01, repeats=3) >= 0
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

__all__ = ['median_time', 'Report', 'parse_args', 'machine', 'sync']


def sync(device: torch.device) -> None:
    """Wait for queued GPU work (timing CUDA without this measures launches only)."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def median_time(fn: Callable[[], object], min_time: float = 0.2, repeats: int = 7,
                device: torch.device | None = None) -> float:
    """Median seconds per call of ``fn``: ``repeats`` batches of calls, each ``min_time`` long."""
    device = device or torch.device('cpu')
    for _ in range(3):
        fn()
    sync(device)
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < min_time / 4 or n < 2:
        fn()
        n += 1
    sync(device)
    per_call = (time.perf_counter() - start) / n
    calls = max(1, int(min_time / max(per_call, 1e-9)))
    samples = []
    for _ in range(repeats):
        sync(device)
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        sync(device)
        samples.append((time.perf_counter() - t) / calls)
    return statistics.median(samples)


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
            target: float | None = None) -> None:
        self.rows.append(dict(case=case, variant=variant, seconds=seconds, baseline=baseline,
                              target=target))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def ratios(self) -> list[dict]:
        base = {r['case']: r['seconds'] for r in self.rows if r['baseline']}
        out = []
        for r in self.rows:
            ratio = r['seconds'] / base[r['case']] if r['case'] in base else None
            met = None if (r['target'] is None or ratio is None) else ratio <= r['target']
            out.append(dict(r, ratio=ratio, met=met))
        return out

    def emit(self, json_path: str | None) -> None:
        rows = self.ratios()
        print(f'## {self.title} ({self.device})')
        for r in rows:
            ratio = '' if r['ratio'] is None else f"{r['ratio']:.2f}x"
            goal = '' if r['target'] is None else \
                f"  target <= {r['target']:.2f}x: {'met' if r['met'] else 'MISSED'}"
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
