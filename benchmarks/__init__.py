"""Benchmark scripts: bptorch against raw torch on the same work (see harness.py)."""
