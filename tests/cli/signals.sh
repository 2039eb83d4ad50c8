#!/usr/bin/env bash
# `ocbench run` under the signals a cluster sends: SIGTERM stops it at once
# (exit 8), releasing its claims and leaving only whole records; SIGUSR1 lets
# the cell in flight finish and takes no new one (exit 8). A rerun completes
# the experiment without rerunning what was recorded.
source "$(dirname "$0")/prelude.sh"
cat > "$work/exp.toml" <<TOML
name = "signals"
seeds = [1, 2]
[datasets.mnist]
classes = [0, 1, 2, 3]
max_train = 600
max_test = 500
[methods.dcae]
ae_epochs = 12
ae_lr = 1e-3
ae_milestones = []
TOML
records() { (find "$work/r/records" -name '*.json' 2>/dev/null || true) | wc -l; }
check_clean() {
  local claims; claims=$( (find "$work/r/claims" -name '*.claim' 2>/dev/null || true) | wc -l)
  [ "$claims" -eq 0 ] || { echo "FAIL: $1: $claims claims left"; exit 1; }
  for f in $(find "$work/r/records" -name '*.json'); do
    python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['status']=='ok'" "$f" || { echo "FAIL: $1: $f is not a whole ok record"; exit 1; }
  done
}

for sig in TERM USR1; do
  rm -rf "$work/r" "$work/c"
  "$ocbench" run "$work/exp.toml" --results-dir "$work/r" --cache-dir "$work/c" --no-download --jobs 1 > "$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ "$(records)" -ge 1 ] && break; sleep 0.05; done
  sleep 0.5  # inside the next cell
  before=$(records)
  kill -$sig $pid
  rc=0
  wait $pid || rc=$?
  after=$(records)
  [ $rc -eq 8 ] || { echo "FAIL: SIG$sig: exit $rc, expected 8"; cat "$work/log"; exit 1; }
  check_clean "SIG$sig"
  if [ $sig = TERM ]; then
    [ "$after" -eq "$before" ] || { echo "FAIL: SIGTERM: a cell finished after the signal ($before -> $after)"; exit 1; }
    grep -q "stopped by a signal" "$work/log" || { echo "FAIL: SIGTERM: no message"; cat "$work/log"; exit 1; }
  else
    [ "$after" -eq $((before + 1)) ] || { echo "FAIL: SIGUSR1: the cell in flight should finish and no other start ($before -> $after)"; exit 1; }
    grep -q "stopped taking cells" "$work/log" || { echo "FAIL: SIGUSR1: no message"; cat "$work/log"; exit 1; }
  fi
  [ "$after" -lt 8 ] || { echo "FAIL: SIG$sig: the run finished before the signal; nothing was tested"; exit 1; }
  "$ocbench" run "$work/exp.toml" --results-dir "$work/r" --cache-dir "$work/c" --no-download --jobs 2 > "$work/log2" 2>&1
  grep -q "$after already recorded" "$work/log2" || { echo "FAIL: SIG$sig: the rerun did not keep the $after records"; cat "$work/log2"; exit 1; }
  [ "$(records)" -eq 8 ] || { echo "FAIL: SIG$sig: $(records) records after the rerun, expected 8"; exit 1; }
  echo "SIG$sig: exit 8 with $after of 8 cells recorded, no claim left; the rerun finished the rest"
done
