#!/usr/bin/env bash
# Kill `ocbench run` with SIGKILL after its first records appear, then rerun:
# every record written before the kill must be intact and kept (not rerun),
# and the rerun must complete the experiment.
source "$(dirname "$0")/prelude.sh"

"$ocbench" run "$here/tiny.toml" --results-dir "$work/r" --no-download --no-scores > "$work/log1" 2>&1 &
pid=$!
for _ in $(seq 600); do
  n=$( (find "$work/r/records" -name '*.json' 2>/dev/null || true) | wc -l)
  [ "$n" -ge 3 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
before=$(find "$work/r/records" -name '*.json' | sort)
count=$(echo "$before" | grep -c json || true)
[ "$count" -ge 1 ] || { echo "FAIL: no record was written before the kill"; cat "$work/log1"; exit 1; }
[ "$count" -lt 16 ] || { echo "FAIL: the run finished before the kill; nothing was tested"; exit 1; }
for f in $before; do
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['status']=='ok'" "$f" \
    || { echo "FAIL: record $f is not a complete ok record"; exit 1; }
done
# A kill that lands inside a write leaves that write's temporary file (never
# read as a record; a later run removes it once stale, see store_test): one
# write in flight per thread at most.
temps=$( (find "$work/r" -name '*.tmp.*' || true) | wc -l)
[ "$temps" -le 2 ] || { echo "FAIL: $temps temporary files left"; exit 1; }
stamp=$(stat -c %Y.%N $before | md5sum)

"$ocbench" run "$here/tiny.toml" --results-dir "$work/r" --no-download --no-scores > "$work/log2" 2>&1
grep -q "$count already recorded" "$work/log2" || { echo "FAIL: rerun did not skip the $count recorded cells"; cat "$work/log2"; exit 1; }
[ "$(stat -c %Y.%N $before | md5sum)" = "$stamp" ] || { echo "FAIL: records from before the kill were rewritten"; exit 1; }
total=$(find "$work/r/records" -name '*.json' | wc -l)
[ "$total" -eq 16 ] || { echo "FAIL: expected 16 records after the rerun, got $total"; exit 1; }
echo "resume after kill: $count records survived the kill, $((16 - count)) run after it"
