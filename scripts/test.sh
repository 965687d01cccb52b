#!/usr/bin/env bash
# Set up the environment and run the whole test suite (unit tests, doctests, notebooks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh test
.venv/bin/python -m ipykernel install --user --name bptorch-venv >/dev/null 2>&1 || true
exec .venv/bin/python -m pytest -q "$@"
