#!/usr/bin/env bash
# On the GPU machine: run every CUDA-parametrized test and the GPU benchmarks in one go.
# Uses the machine's own CUDA build of torch (no install); logs and RESULTS.md go to $OUT.
# Fits one 10-minute device call: the tests get 4 minutes, each benchmark script 75 s.
#   bash scripts/gpu_check.sh            # tests, then benchmarks
#   SKIP_BENCH=1 bash scripts/gpu_check.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
OUT="${OUT:-gpu_out}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
"$PY" - <<'PYEOF' 2>&1 | tee "$OUT/device.txt" || { echo 'gpu_check: no CUDA device'; exit 1; }
import torch
assert torch.cuda.is_available(), 'no CUDA device visible'
print('torch', torch.__version__, '| device', torch.cuda.get_device_name(0))
PYEOF
status=0
# -rs lists skip reasons: a test skipped for want of CUDA is a failure of the check
timeout 240 "$PY" -m pytest -q -rs -p no:cacheprovider -k "cuda" tests 2>&1 | tee "$OUT/tests.log" \
  || status=1
if grep -qE '^SKIPPED.*(needs a CUDA GPU|needs CUDA)' "$OUT/tests.log"; then
  echo 'gpu_check: tests that need CUDA were skipped'; status=1
fi
if [ -z "${SKIP_BENCH:-}" ]; then
  "$PY" benchmarks/run_all.py --device cuda --timeout 75 --output "$OUT/RESULTS.md" 2>&1 \
    | tee "$OUT/bench.log" || status=1
fi
exit $status
