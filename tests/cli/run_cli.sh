#!/usr/bin/env bash
# Runs a command and prints its exit code as "exit=N", so CTest can match the
# message and the code with one regular expression. With --in-temp-dir the
# command runs in a fresh temporary folder.
if [ "$1" = "--in-temp-dir" ]; then
  shift
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  cd "$dir" || exit 99
fi
"$@" 2>&1
echo "exit=$?"
