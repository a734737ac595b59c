#!/usr/bin/env bash
# bench/sse_fanout.sh - the hall's live feed to many screens: SCREENS display screens
# on GET /api/v1/hall/1/events while windows call RATE tickets a second.
#
# Setup over HTTP (bench/hall_load.mjs setup): WINDOWS windows, LINES lines served by
# every window, a kiosk and a display device, every window open. Then
# bench/sse_clients.mjs opens SCREENS streams with the display's bearer token (spread
# over CLIENT_PROCS node processes); once all are open, bench/hall_load.mjs caller runs
# RATE tickets a second for DURATION: take (kiosk) -> call -> finish at the windows in
# turn, so three events a ticket. After a grace of 2 s the screens stop.
#
# Delivery latency: the event's time on the server (hall_events.at, the action's
# clock reading in ms) against the screen's receive time (Date.now() precision via
# performance.timeOrigin + performance.now()); both on this machine's realtime clock.
# It includes the action's commit (group commit, fsync), the broadcaster's wake-up
# and the write to SCREENS sockets, and the screens' own event loop (its delay is
# reported: if the clients are the bottleneck, it shows there). Missed events: every
# screen must get every event of the run (from the database, after the run), once
# each and in order; any miss fails the script. Server RSS: VmRSS idle, with the
# screens connected, under load, and VmHWM at the end.
#
# No reference in the same run: nginx serves files and does not make events (a push
# module is not in Debian's nginx), and a toy node fan-out server without a database
# would compare against a different job; the figures are absolute, the goal is
# p99 <= 100 ms.
#
# The screens: CLIENT=c (default) is bench/sse_screens.c, one epoll loop built here with
# cc -O2, which leaves the server most of a small machine; CLIENT=node is
# bench/sse_clients.mjs over CLIENT_PROCS processes, which on 2 CPUs takes most of
# them and its own event-loop delay then lands in the latency.
#
# The caller: CALLER=c (default) is bench/hall_caller.c, one epoll loop built here with
# cc -O2 -ljansson, one keep-alive connection per window; CALLER=node is
# `bench/hall_load.mjs caller`. Both do the same (see their headers) and write the same
# caller.json; the node one takes a little more CPU (about 0.2 of a core at 200/s here).
# The CPU each load process used is printed next to the server's, so a reader can see
# whether the machine was saturated.
#
# Environment: DURATION (10s), SCREENS (1000), RATE (200), WINDOWS (16), LINES (26),
# CLIENT (c), CLIENT_PROCS (4, node only), CALLER (c), THREADS (server --threads, 4),
# YICHUANG_BIN.
source "$(dirname "$0")/lib.sh"
need curl sqlite3 node
ensure_release
THREADS=${THREADS:-4}
SCREENS=${SCREENS:-1000}
RATE=${RATE:-200}
WINDOWS=${WINDOWS:-16}
LINES=${LINES:-26}
CLIENT_PROCS=${CLIENT_PROCS:-4}
CLIENT=${CLIENT:-c}
CALLER=${CALLER:-c}
SECS=${DURATION%s}

echo "== hall live feed (SSE): $SCREENS screens while windows call $RATE tickets/s"
print_machine
if [ "$CALLER" = c ]; then
    CALLER_BIN=$SCRATCH/hall_caller
    "${CC:-cc}" -O2 -o "$CALLER_BIN" "$BENCH_DIR/hall_caller.c" -ljansson || die "cannot build hall_caller.c"
    echo "load:    bench/hall_caller.c: $RATE tickets/s (take, call, finish: 3 events each) at $WINDOWS windows, ${SECS}s"
else
    echo "load:    node bench/hall_load.mjs caller: $RATE tickets/s (take, call, finish: 3 events each) at $WINDOWS windows, ${SECS}s"
fi
if [ "$CLIENT" = c ]; then
    SCREENS_BIN=$SCRATCH/sse_screens
    "${CC:-cc}" -O2 -o "$SCREENS_BIN" "$BENCH_DIR/sse_screens.c" || die "cannot build sse_screens.c"
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    echo "screens: bench/sse_screens.c: $SCREENS streams in one epoll loop (display device token)"
else
    echo "screens: node bench/sse_clients.mjs: $SCREENS streams in $CLIENT_PROCS processes (display device token)"
fi
echo "server:  yichuang serve --threads $THREADS --no-access-log"
echo

DATA=$SCRATCH/data
yc_init "$DATA"
yc_start "$DATA" --threads "$THREADS"
node "$BENCH_DIR/hall_load.mjs" setup "$YC_URL" "$WINDOWS" "$LINES" "$SCRATCH/setup.json" || die "setup failed"
jget() { node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(eval(process.argv[2]))' "$@"; }
DISPLAY_TOKEN=$(jget "$SCRATCH/setup.json" 'o.display_token')
rss_idle=$(rss_kb "$YC_PID" VmRSS)

OUT=$SCRATCH/screens
mkdir -p "$OUT"
if [ "$CLIENT" = c ]; then
    "$SCREENS_BIN" 127.0.0.1 "${YC_URL##*:}" 1 "$DISPLAY_TOKEN" "$SCREENS" "$OUT" &
else
    node "$BENCH_DIR/sse_clients.mjs" run "$YC_URL" 1 "$DISPLAY_TOKEN" "$SCREENS" "$CLIENT_PROCS" "$OUT" &
fi
CL_PID=$!
BG_PIDS+=("$CL_PID")
for _ in $(seq 1 1200); do
    [ -e "$OUT/ready" ] && break
    kill -0 "$CL_PID" 2>/dev/null || die "the screens failed to connect"
    sleep 0.05
done
[ -e "$OUT/ready" ] || die "the screens did not connect within 60 s"
sleep 1
rss_screens=$(rss_kb "$YC_PID" VmRSS)
start_id=$(sqlite3 "$DATA/yichuang.db" 'SELECT COALESCE(MAX(id), 0) FROM hall_events')

if [ "$CALLER" = c ]; then
    READY_FILE=$SCRATCH/caller.ready "$CALLER_BIN" "$YC_URL" "$SCRATCH/setup.json" "$SECS" "$RATE" "$SCRATCH/caller.json" &
else
    READY_FILE=$SCRATCH/caller.ready node "$BENCH_DIR/hall_load.mjs" caller "$YC_URL" "$SCRATCH/setup.json" "$SECS" "$RATE" "$SCRATCH/caller.json" &
fi
CALLER_PID=$!
for _ in $(seq 1 600); do [ -e "$SCRATCH/caller.ready" ] && break; sleep 0.05; done
cpu0=$(cpu_ticks "$YC_PID") # after the clerks' logins (argon2id)
ccpu0=$(cpu_ticks "$CL_PID")
sleep "$(awk -v d="$SECS" 'BEGIN { print d / 2 }')"
rss_load=$(rss_kb "$YC_PID" VmRSS)
wait "$CALLER_PID" || die "the caller failed"
cpu1=$(cpu_ticks "$YC_PID")
ccpu1=$(cpu_ticks "$CL_PID")
touch "$OUT/stop"
wait "$CL_PID" || die "the screens failed"
hwm=$(rss_kb "$YC_PID" VmHWM)
sqlite3 -separator ' ' "$DATA/yichuang.db" "SELECT id, at FROM hall_events WHERE id > $start_id ORDER BY id" >"$SCRATCH/events.txt"
yc_stop

R=$(node "$BENCH_DIR/sse_clients.mjs" analyze "$SCRATCH/events.txt" "$OUT") || die "analysis failed"
echo "$R" >"$SCRATCH/result.json"
r() { jget "$SCRATCH/result.json" "$1"; }
c() { jget "$SCRATCH/caller.json" "$1"; }
echo "caller:   $(c 'o.calls') calls in $(c 'o.seconds.toFixed(1)') s = $(c 'o.calls_per_s.toFixed(1)') calls/s" \
    "(asked $RATE; ticks skipped with every window busy: $(c 'o.skipped_all_windows_busy'));" \
    "call request p50/p99 $(c 'o.call.p50_ms.toFixed(1) + "/" + o.call.p99_ms.toFixed(1)') ms"
echo "server:   CPU $(cpu_us_per_req $((cpu1 - cpu0)) "$(r 'o.events')") us per event" \
    "($(awk -v t=$((cpu1 - cpu0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", t / hz }') s CPU while the caller ran)"
echo "load CPU: caller $(c 'o.cpu_s.toFixed(1)') s (whole process), screens $(awk -v t=$((ccpu1 - ccpu0)) -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", t / hz }') s while the caller ran"
echo "events:   $(r 'o.events') in the run, $(r 'o.streams') screens, $(r 'o.receipts') received of $(r 'o.expected_receipts')"
echo "latency:  p50 $(r 'o.p50_ms.toFixed(1)') ms, p99 $(r 'o.p99_ms.toFixed(1)') ms, max $(r 'o.max_ms.toFixed(1)') ms" \
    "(goal p99 <= 100 ms); screens' event-loop delay p99 $(r 'o.client_loop_delay_p99_ms.toFixed(1)') ms," \
    "max $(r 'o.client_loop_delay_max_ms.toFixed(1)') ms"
echo "RSS:      idle $rss_idle kB, with $SCREENS screens $rss_screens kB, under load $rss_load kB, VmHWM $hwm kB" \
    "(VmHWM includes the logins: argon2id takes 64 MiB for each, then frees it)"
ok=1
check() {
    local what=$1
    shift
    if "$@"; then echo "      ok    $what"; else echo "      FAIL  $what"; ok=0; fi
}
check "missed events: $(r 'o.missed'); screens missing events or out of order: $(r 'o.streams_missing_events')" \
    test "$(r 'o.missed')" = 0 -a "$(r 'o.streams_missing_events')" = 0
check "receipts of events not in the run: $(r 'o.receipts_outside_run')" test "$(r 'o.receipts_outside_run')" = 0
check "events in the run: $(r 'o.events') = 3 x calls ($(c 'o.calls'))" test "$(r 'o.events')" = $((3 * $(c 'o.calls')))
check "caller: no failed request: $(c 'JSON.stringify(o.other_statuses)')" test "$(c 'JSON.stringify(o.other_statuses)')" = '{}'
[ "$ok" = 1 ] || { echo "a check FAILED"; exit 1; }
