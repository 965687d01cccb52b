#!/usr/bin/env bash
# Test bptorch's bm.jit on several torch versions, each in a venv of its own (CPU).
#
#   scripts/test_torch_versions.sh [--keep] [--venvs DIR] [--python PY] VERSION...
#   e.g. scripts/test_torch_versions.sh 2.11.0 2.13.0 2.15.0
#
# For each VERSION: makes DIR/bptorch-torch-VERSION (DIR: $VENVS or /tmp), installs
# torch==VERSION (the registry's default build: CUDA, with its nvidia packages; it
# runs on the CPU) and the project (`pip install -e ".[test]"` from this checkout),
# then runs the bm.jit-related tests (tests/test_jit.py, test_controls.py,
# test_compat.py and every test file that calls bm.jit), the doctests of the
# bptorch package and the demo (`python -m bptorch.demo --steps 20`), and prints
# one line:
#
#   torch 2.11.0: jit tests 190 passed, 0 failed | doctests 640 passed, 0 failed | demo ok
#
# Logs are kept in DIR/bptorch-torch-logs/VERSION-{install,tests,doctests,demo}.log.
# Each venv (~5 GB) is deleted after its run unless --keep is given; only one venv
# exists at a time. Exit status: 0 if every version passed everything.
set -uo pipefail

keep=0
venvs="${VENVS:-/tmp}"
python="${PYTHON:-python3}"
versions=()
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --venvs) venvs="$2"; shift ;;
    --python) python="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) versions+=("$1") ;;
  esac
  shift
done
if [ ${#versions[@]} -eq 0 ]; then
  echo "usage: $0 [--keep] [--venvs DIR] [--python PY] VERSION..." >&2
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
logs="$venvs/bptorch-torch-logs"
mkdir -p "$logs"
cd "$root" || exit 2

# The tests that exercise bm.jit: its own, the loops', the compat layer's, and every
# other test file that calls bm.jit.
jit_tests=$( (printf '%s\n' tests/test_jit.py tests/test_controls.py tests/test_compat.py;
              grep -l 'bm\.jit(' tests/test_*.py) | sort -u | while read -r f; do
               [ -f "$f" ] && echo "$f"; done)

# "N passed, M failed" from a pytest log (its last summary line).
summary() {
  local line passed failed errors
  line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)|no tests ran' "$1" | tail -1)
  passed=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+'); passed=${passed:-0}
  failed=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+'); failed=${failed:-0}
  errors=$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+'); errors=${errors:-0}
  echo "$passed passed, $((failed + errors)) failed"
}

status=0
results=()
for v in "${versions[@]}"; do
  venv="$venvs/bptorch-torch-$v"
  log="$logs/$v"
  echo "== torch $v: venv $venv" >&2
  rm -rf "$venv"
  if ! { "$python" -m venv "$venv" &&
         PIP_CONSTRAINT=/dev/null "$venv/bin/pip" install -q "torch==$v" &&
         PIP_CONSTRAINT=/dev/null "$venv/bin/pip" install -q -e ".[test]"; } >"$log-install.log" 2>&1
  then
    line="torch $v: install failed (see $log-install.log)"
    status=1
  else
    got=$("$venv/bin/python" -c 'import torch; print(torch.__version__)')
    # -p no:cacheprovider: leave the checkout as it was
    "$venv/bin/python" -m pytest -q -p no:cacheprovider -p no:randomly $jit_tests \
      >"$log-tests.log" 2>&1; rc_t=$?
    "$venv/bin/python" -m pytest -q -p no:cacheprovider -p no:randomly bptorch \
      >"$log-doctests.log" 2>&1; rc_d=$?
    MPLBACKEND=Agg timeout 900 "$venv/bin/python" -m bptorch.demo --steps 20 \
      --out "$log-loss_curve.png" >"$log-demo.log" 2>&1; rc_m=$?
    if [ $rc_m -ne 0 ]; then demo="failed (exit $rc_m)"
    elif grep -q JitFallbackWarning "$log-demo.log"; then demo="ok, but bm.jit fell back"; rc_m=1
    else demo=ok; fi
    line="torch $v ($got): jit tests $(summary "$log-tests.log") | doctests $(summary "$log-doctests.log") | demo $demo"
    [ $rc_t -eq 0 ] && [ $rc_d -eq 0 ] && [ $rc_m -eq 0 ] || status=1
  fi
  echo "$line"
  results+=("$line")
  if [ $keep -eq 0 ]; then
    rm -rf "$venv"
  fi
done

if [ ${#versions[@]} -gt 1 ]; then
  echo "== summary" >&2
  printf '%s\n' "${results[@]}"
fi
exit $status
