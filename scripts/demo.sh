#!/usr/bin/env bash
# Set up the environment and run the main job: the training demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh demo
exec .venv/bin/python -m bptorch.demo "$@"
