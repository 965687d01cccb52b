#!/usr/bin/env bash
# On the GPU machine: run every CUDA-parametrized test and the GPU benchmarks in one go.
# Uses the machine's own CUDA build of torch (no install); logs and RESULTS.md go to $OUT.
#   bash scripts/gpu_check.sh            # tests, then benchmarks
#   SKIP_BENCH=1 bash scripts/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
OUT="${OUT:-gpu_out}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
"$PY" - <<'PYEOF' | tee "$OUT/device.txt"
import torch
assert torch.cuda.is_available(), 'no CUDA device visible'
print('torch', torch.__version__, '| device', torch.cuda.get_device_name(0))
PYEOF
status=0
"$PY" -m pytest -q -p no:cacheprovider -k "cuda" tests 2>&1 | tee "$OUT/tests.log" || status=1
if [ -z "${SKIP_BENCH:-}" ]; then
  "$PY" benchmarks/run_all.py --device cuda --output "$OUT/RESULTS.md" 2>&1 | tee "$OUT/bench.log" || status=1
fi
exit $status
