#!/usr/bin/env bash
# bench/get_vs_nginx.sh - GET /api/v1/announcements/1 on yichuang against nginx serving
# the same bytes from a file.
#
# yichuang (release build, access log off) answers with a session check (cookie ->
# session and roles from SQLite), a SELECT of the announcement, a scope check and
# JSON; nginx (one worker, access log off) sends the same JSON body from a static file,
# with the same response headers added so the bytes on the wire are alike. Both are
# driven by the same wrk command (threads, connections, duration); yichuang is tried
# with --threads 1, 2 and 4 (THREADS_LIST), and nginx is measured right before each
# yichuang run so each ratio compares runs made seconds apart. Each pair is run REPEAT
# times and the medians are reported: on a shared 2-CPU machine one pair can be off by
# a factor of two when a neighbour wakes up. CPU time per request (utime+stime from
# /proc) is reported too; it moves less than requests per second.
#
# Environment: DURATION (10s), REPEAT (3), WRK_THREADS (2), WRK_CONNS (64),
# THREADS_LIST ("1 2 4"), YICHUANG_BIN (default build/release/yichuang).
# shellcheck disable=SC2154 # n_rps, n_p99, n_cpu: set by bench_nginx (lib.sh)
source "$(dirname "$0")/lib.sh"
need wrk nginx curl node
ensure_release
THREADS_LIST=${THREADS_LIST:-"1 2 4"}
REPEAT=${REPEAT:-3}

DATA=$SCRATCH/data
get_fixture "$DATA"

nginx_start 1
NGX_WORKER=$(pgrep -P "$NGX_PID" | head -1)

echo "== GET /api/v1/announcements/1: yichuang vs nginx (same body, $(wc -c <"$BODY") bytes)"
print_machine
echo "wrk:     wrk -t$WRK_THREADS -c$WRK_CONNS -d$DURATION --latency [-H 'Cookie: yc_session=...'] URL"
echo "nginx:   $(nginx -v 2>&1 | sed 's/^nginx version: //'), 1 worker, access_log off, measured right before each yichuang run"
echo "cpu_us:  CPU time (user+sys, all threads) the server spent per request"
echo
printf '%-8s %4s %10s %10s %8s %12s %10s %8s %8s %10s %10s\n' threads run yc_req/s yc_p99_ms yc_cpu_us \
    nginx_req/s ngx_p99_ms ngx_cpu ratio yc_rss_kB yc_hwm_kB

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

SUMMARY=$SCRATCH/summary.txt
: >"$SUMMARY"
for T in $THREADS_LIST; do
    : >"$SCRATCH/runs-$T.txt"
    for rep in $(seq 1 "$REPEAT"); do
        bench_nginx "ngx-$T-$rep"

        yc_start "$DATA" --threads "$T"
        curl -sS -o "$SCRATCH/yc.body" -H "Cookie: $YC_COOKIE" "$YC_URL/api/v1/announcements/1"
        cmp -s "$BODY" "$SCRATCH/yc.body" || die "yichuang answer changed"
        c0=$(cpu_ticks "$YC_PID")
        wrk_run "$SCRATCH/yc-$T-$rep.txt" -H "Cookie: $YC_COOKIE" "$YC_URL/api/v1/announcements/1" &
        WRK_PID=$!
        sleep "$(awk -v d="${DURATION%s}" 'BEGIN { print d / 2 }')"
        rss_mid=$(rss_kb "$YC_PID" VmRSS)
        wait "$WRK_PID"
        c1=$(cpu_ticks "$YC_PID")
        hwm=$(rss_kb "$YC_PID" VmHWM)
        yc_stop
        Y=$SCRATCH/yc-$T-$rep.txt
        [ "$(wrk_errors "$Y")" = 0 ] || die "yichuang errors: $(cat "$Y")"
        y_rps=$(wrk_rps "$Y")
        y_p99=$(to_ms "$(wrk_p99 "$Y")")
        y_cpu=$(cpu_us_per_req $((c1 - c0)) "$(wrk_requests "$Y")")
        r=$(ratio "$y_rps" "$n_rps")
        printf '%-8s %4s %10.0f %10s %8s %12.0f %10s %8s %7sx %10s %10s\n' "$T" "$rep" "$y_rps" "$y_p99" \
            "$y_cpu" "$n_rps" "$n_p99" "$n_cpu" "$r" "$rss_mid" "$hwm"
        echo "$r $y_rps $n_rps $y_cpu $n_cpu $y_p99 $n_p99" >>"$SCRATCH/runs-$T.txt"
    done
    col() { awk -v c="$1" '{ print $c }' "$SCRATCH/runs-$T.txt" | median; }
    printf '%-8s %10.0f %12.0f %8s %8s %10s %10s %7.2fx\n' "$T" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" \
        "$(col 6)" "$(col 7)" "$(col 1)" >>"$SUMMARY"
done
echo
echo "medians of the $REPEAT runs:"
printf '%-8s %10s %12s %8s %8s %10s %10s %8s\n' threads yc_req/s nginx_req/s yc_cpu ngx_cpu yc_p99_ms ngx_p99_ms ratio
cat "$SUMMARY"
best=$(sort -k8 -g "$SUMMARY" | tail -1)
best_threads=$(echo "$best" | awk '{ print $1 }')
best_ratio=$(echo "$best" | awk '{ print $8 }')
best_rps=$(echo "$best" | awk '{ print $2 }')
echo
echo "nginx worker RSS under load: $(rss_kb "$NGX_WORKER" VmRSS) kB"
echo "best: --threads $best_threads: yichuang/nginx(1 worker) = ${best_ratio} (median of $REPEAT; goal >= 1.0x)"
echo "CPU per request (medians): yichuang $(cut -d' ' -f4 "$SCRATCH"/runs-*.txt | median) us, nginx $(cut -d' ' -f5 "$SCRATCH"/runs-*.txt | median) us"

# For context: nginx allowed both CPUs, as yichuang is with --threads 2 or 4.
kill "$NGX_PID"
wait "$NGX_PID" 2>/dev/null || true
nginx_start 2
bench_nginx ngx-2workers
echo "context: nginx with 2 workers: $(printf '%.0f' "$n_rps") req/s, p99 $n_p99 ms, $n_cpu CPU us/req;" \
    "best yichuang median / that = $(ratio "$best_rps" "$n_rps")x"
