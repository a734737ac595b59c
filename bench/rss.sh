#!/usr/bin/env bash
# bench/rss.sh - resident memory of the server: idle after start, after one login,
# under the GET load of get_vs_nginx.sh and under the write load of
# write_vs_sqlite.sh; the reference is nginx (master + 1 worker) under the same GET
# load, serving the same bytes.
#
# VmRSS is what the process holds now; VmHWM is its peak so far. A login hashes the
# password with argon2id (libsodium's "interactive" limits: 64 MiB of memory), so the
# peak after the first login is ~64 MiB higher than anything else, and goes back down
# once the hash is done.
#
# Environment: DURATION (per load, 5s), WRK_THREADS (2), WRK_CONNS (64), THREADS
# (server --threads, 4), YICHUANG_BIN.
DURATION=${DURATION:-5s}
source "$(dirname "$0")/lib.sh"
need wrk nginx curl node
ensure_release
THREADS=${THREADS:-4}
HALF=$(awk -v d="${DURATION%s}" 'BEGIN { print d / 2 }')

DATA=$SCRATCH/data
get_fixture "$DATA"

yc_start "$DATA" --threads "$THREADS"
sleep 0.3
idle=$(rss_kb "$YC_PID" VmRSS)
idle_hwm=$(rss_kb "$YC_PID" VmHWM)
yc_login
login_rss=$(rss_kb "$YC_PID" VmRSS)
login_hwm=$(rss_kb "$YC_PID" VmHWM)

wrk_run "$SCRATCH/get.txt" -H "Cookie: $YC_COOKIE" "$YC_URL/api/v1/announcements/1" &
WRK_PID=$!
sleep "$HALF"
get_rss=$(rss_kb "$YC_PID" VmRSS)
wait "$WRK_PID"

YC_ACKED_DIR='' wrk_run "$SCRATCH/post.txt" -s "$BENCH_DIR/post_notice.lua" "$YC_URL/" &
WRK_PID=$!
sleep "$HALF"
post_rss=$(rss_kb "$YC_PID" VmRSS)
wait "$WRK_PID"
sleep 0.5
after_rss=$(rss_kb "$YC_PID" VmRSS)
hwm=$(rss_kb "$YC_PID" VmHWM)
yc_stop

nginx_start 1
ngx_idle=0
for p in $NGX_PID $(pgrep -P "$NGX_PID"); do ngx_idle=$((ngx_idle + $(rss_kb "$p" VmRSS))); done
wrk_run "$SCRATCH/ngx.txt" "$NGX_URL" &
WRK_PID=$!
sleep "$HALF"
ngx_get=0
for p in $NGX_PID $(pgrep -P "$NGX_PID"); do ngx_get=$((ngx_get + $(rss_kb "$p" VmRSS))); done
wait "$WRK_PID"

echo "== resident memory (kB) of yichuang --threads $THREADS, and of nginx (master + 1 worker)"
print_machine
echo "loads:   wrk -t$WRK_THREADS -c$WRK_CONNS -d$DURATION: GET /api/v1/announcements/1 ($(printf '%.0f' "$(wrk_rps "$SCRATCH/get.txt")") req/s)," \
    "then POST /api/v1/announcements ($(printf '%.0f' "$(wrk_rps "$SCRATCH/post.txt")") req/s); RSS read halfway through each"
echo
printf '%-34s %10s %10s\n' "" VmRSS VmHWM
printf '%-34s %10s %10s\n' "yichuang idle after start" "$idle" "$idle_hwm"
printf '%-34s %10s %10s\n' "yichuang after one login" "$login_rss" "$login_hwm"
printf '%-34s %10s\n' "yichuang under GET load" "$get_rss"
printf '%-34s %10s\n' "yichuang under write load" "$post_rss"
printf '%-34s %10s %10s\n' "yichuang after both loads" "$after_rss" "$hwm"
printf '%-34s %10s\n' "nginx idle" "$ngx_idle"
printf '%-34s %10s\n' "nginx under GET load" "$ngx_get"
echo
echo "ratio under GET load, yichuang / nginx: $(ratio "$get_rss" "$ngx_get")x"
echo "ratio idle, yichuang / nginx:           $(ratio "$idle" "$ngx_idle")x"
