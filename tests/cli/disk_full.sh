#!/usr/bin/env bash
# A results folder on a full disk and on a read-only one: ocbench finds the
# read-only one before computing anything, stops on the full one, keeps what
# it recorded, and exits 9. Needs root (a small tmpfs, a read-only bind mount;
# both unmounted on exit).
source "$(dirname "$0")/prelude.sh"
if [ "$(id -u)" -ne 0 ]; then echo "skipped: mounting needs root"; exit 77; fi
mounts=()
trap 'for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done; rm -rf "$work"' EXIT
mkdir -p "$work/full" "$work/src" "$work/ro"
mount -t tmpfs -o size=64k tmpfs "$work/full" && mounts+=("$work/full")
mount --bind "$work/src" "$work/ro" && mounts+=("$work/ro")
mount -o remount,bind,ro "$work/ro"

rc=0
"$ocbench" run "$here/tiny.toml" --results-dir "$work/ro/r" --cache-dir "$work/c" --no-download > "$work/log" 2>&1 || rc=$?
[ $rc -eq 9 ] || { echo "FAIL: read-only results folder: exit $rc, expected 9"; cat "$work/log"; exit 1; }
grep -q "Read-only file system" "$work/log" || { echo "FAIL: the message does not say the folder is read-only"; cat "$work/log"; exit 1; }
grep -q "\] ok" "$work/log" && { echo "FAIL: cells ran although nothing could be recorded"; exit 1; }
echo "read-only: $(head -n 1 "$work/log")"

rc=0
"$ocbench" run "$here/tiny.toml" --results-dir "$work/full/r" --cache-dir "$work/c" --no-download > "$work/log" 2>&1 || rc=$?
[ $rc -eq 9 ] || { echo "FAIL: full disk: exit $rc, expected 9"; cat "$work/log"; exit 1; }
grep -q "No space left on device" "$work/log" || { echo "FAIL: the message does not say the disk is full"; cat "$work/log"; exit 1; }
kept=$(find "$work/full/r/records" -name '*.json' | wc -l)
for f in $(find "$work/full/r/records" -name '*.json'); do
  python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['status']=='ok'" "$f" || { echo "FAIL: $f is not a whole record"; exit 1; }
done
[ "$kept" -ge 1 ] && [ "$kept" -lt 16 ] || { echo "FAIL: expected some but not all 16 records on the full disk, got $kept"; exit 1; }
# Room again: the rerun keeps them and finishes.
mkdir -p "$work/more" && cp -a "$work/full/r" "$work/more/r"
"$ocbench" run "$here/tiny.toml" --results-dir "$work/more/r" --cache-dir "$work/c" --no-download > "$work/log2" 2>&1
grep -q "$kept already recorded" "$work/log2" || { echo "FAIL: the rerun did not keep the $kept records"; cat "$work/log2"; exit 1; }
echo "full disk: exit 9 with $kept records kept; with room, the rerun finished"
