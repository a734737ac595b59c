#!/usr/bin/env bash
# Run every libFuzzer target for a while (default 20 s each) from the seed corpus in
# tests/fuzz/corpus, writing new inputs to a scratch directory (the repo stays clean).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
status=0
for bin in build/fuzz/fuzz_*; do
  name=${bin##*/fuzz_}
  scratch=$(mktemp -d)
  echo "== fuzz_$name (${secs}s)"
  if ! "$bin" -max_total_time="$secs" -print_final_stats=0 "$scratch" "tests/fuzz/corpus/$name" \
      >"$scratch.log" 2>&1; then
    tail -40 "$scratch.log"
    status=1
  else
    grep -E '^Done' "$scratch.log" || true
  fi
  rm -rf "$scratch" "$scratch.log"
done
exit $status
