#!/usr/bin/env bash
# The README's second command: install, build (debug and asan), and run every test:
# style checks, unit tests (cmocka), integration tests against the real server
# (node:test), in both builds, then the browser tests in Debian's chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test || exit 1

passed=0
failed=0
step() { # name, command...
  local name=$1; shift
  echo
  echo "==== $name"
  if "$@"; then passed=$((passed + 1)); echo "==== $name: 通过"
  else failed=$((failed + 1)); echo "==== $name: 失败"; fi
}

step "代码规范检查" scripts/check-style.sh
step "单元测试与集成测试 (debug)" ctest --preset debug -j2
step "单元测试与集成测试 (asan+ubsan)" \
  env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset asan -j2
step "模糊测试 (libFuzzer)" scripts/fuzz.sh 20
if compgen -G "tests/browser/*.test.mjs" >/dev/null; then
  step "浏览器测试 (chromium)" env YICHUANG_BIN="$PWD/build/debug/yichuang" \
    node --test --test-concurrency=1 tests/browser/
fi

echo
echo "$passed passed, $failed failed"
((failed == 0))
