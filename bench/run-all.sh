#!/usr/bin/env bash
# bench/run-all.sh - every benchmark, one after the other (about 8 minutes with the
# defaults). Each prints its own figures with their references and ratios; the exit
# status is non-zero if any of them failed (a check, not a missed goal).
# Environment is passed through: DURATION, WRK_THREADS, WRK_CONNS, YICHUANG_BIN, ...
set -u
here=$(cd "$(dirname "$0")" && pwd)
rc=0
for b in get_vs_nginx.sh write_vs_sqlite.sh rss.sh catalog_bench.sh sim_vs_simpy.sh hall_cycle.sh sse_fanout.sh; do
    echo
    echo "################ bench/$b"
    "$here/$b" || { echo "bench/$b FAILED"; rc=1; }
done
exit $rc
