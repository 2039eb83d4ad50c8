#!/usr/bin/env bash
# What a record's provenance calls dirty: a changed table or README under
# results/ leaves the build clean; a changed or new source file makes it dirty,
# with a hash that changes with the difference. Runs the build-info script on
# a scratch clone of this repository.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks "$src" "$work/repo" 2> /dev/null
cd "$work/repo"
git config user.email t@example.org && git config user.name t
info() { cmake -DSOURCE_DIR="$work/repo" -DOUT="$work/info.cpp" -DVERSION=0 -DCOMPILER=c -DBUILD_TYPE=r -P cmake/write_build_info.cmake && grep -o '"[0-9a-f]\{40\}", [a-z]*, "[0-9a-f]*"' "$work/info.cpp"; }
clean=$(info)
case "$clean" in *", false, \"\"") ;; *) echo "FAIL: a fresh clone is dirty: $clean"; exit 1 ;; esac
mkdir -p results/x && echo "| a |" > results/x/table.md && echo more >> README.md && git add -A
[ "$(info)" = "$clean" ] || { echo "FAIL: a results or README change made the build dirty: $(info)"; exit 1; }
echo "// changed" >> harness/core/error.cpp
one=$(info)
case "$one" in *", true, \""[0-9a-f]*) ;; *) echo "FAIL: a source change is not dirty: $one"; exit 1 ;; esac
echo "// new file" > methods/new_method.cpp
two=$(info)
[ "$two" != "$one" ] || { echo "FAIL: an untracked source file does not change the hash"; exit 1; }
echo "build info: clean for results and documents, dirty with a diff hash for source changes"
