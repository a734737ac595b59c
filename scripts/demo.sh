#!/usr/bin/env bash
# The README's first command: install, build, and run the demo county on
# http://127.0.0.1:8080/ with its data in ./data. Ctrl-C stops it; running it again
# reuses the same data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/release/yichuang demo --data data --web web "$@"
