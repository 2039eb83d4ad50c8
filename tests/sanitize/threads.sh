#!/usr/bin/env bash
# The two places where a run's worker threads meet, under ThreadSanitizer:
# core::Rendezvous (cells training as one network) and core::SharedResults
# (cells handing each other what they computed). Builds their unit tests and
# sources alone with clang's -fsanitize=thread (no torch: seconds, not
# minutes) and runs them; any data race or lock-order problem fails the test.
# Skipped (77) where clang++ is missing.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cxx=${CXX_TSAN:-clang++}
command -v "$cxx" > /dev/null || { echo "no $cxx: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/main.cpp" <<'CPP'
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
CPP
"$cxx" -std=c++20 -O1 -g -fsanitize=thread -I"$src" -o "$work/threads" "$work/main.cpp" \
  "$src/tests/unit/core/rendezvous_test.cpp" "$src/tests/unit/core/shared_results_test.cpp" \
  "$src/harness/core/rendezvous.cpp" "$src/harness/core/shared_results.cpp" "$src/harness/core/hash.cpp" \
  "$src/harness/core/samples.cpp" "$src/harness/core/error.cpp" -lfmt -lcrypto
run() { TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$@" "$work/threads" "[core]" > "$work/out" 2>&1; }
# clang 14's ThreadSanitizer cannot map its shadow memory on kernels that
# randomise mmap with more bits than it expects: then again without address
# randomisation, and if even that cannot start, skipped with the reason.
status=0
run || status=$?
if [ "$status" -ne 0 ] && grep -q "unexpected memory mapping" "$work/out"; then
  status=0
  run setarch "$(uname -m)" -R || status=$?
  if [ "$status" -ne 0 ] && grep -q "unexpected memory mapping\|setarch" "$work/out"; then
    cat "$work/out"
    echo "ThreadSanitizer cannot start on this kernel: skipped"
    exit 77
  fi
fi
cat "$work/out"
exit "$status"
