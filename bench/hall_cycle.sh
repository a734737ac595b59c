#!/usr/bin/env bash
# bench/hall_cycle.sh - the hall's ticket cycle (take + call + start + finish) over HTTP
# on yichuang against raw SQLite doing the same transactions in one process.
#
# Setup (once): yichuang init, then bench/hall_load.mjs setup over HTTP: WINDOWS windows
# of center 1, LINES service lines (A, B, ...; each served by every window, so the
# daily quota of 999 numbers a line lasts LINES x 999 tickets), a kiosk device, a
# clerk posted at each window (staff.window_id) who opens it. The stopped server's data dir is the template every run copies.
#
# Reference (bench/raw_hall.c, built here with cc -O2 -lsqlite3): on a copy of the
# template database, one transaction per action with the statements the service runs
# for take, call, start and finish (ticket, counter, window state, audit chain,
# hall_events); WAL, synchronous=NORMAL (the goal's reference, run before and after
# each yichuang run) and synchronous=FULL (an fsync per commit).
#
# yichuang (release, access log off, group commit, every reply after its batch is on disk):
# the load (CALLER=c, the default: bench/hall_caller.c cycle, one epoll loop built here
# with cc -O2; CALLER=node: bench/hall_load.mjs cycle, same semantics and output; on 2
# CPUs node took 0.4 of one, which the server is measured on): one loop per window, as the clerk posted there (call ->
# start -> finish), TAKERS kiosk loops taking tickets while fewer than 4 a window wait. A cycle
# is a finished ticket. Then, with the server stopped: no ticket number twice, every
# ticket the kiosk got a 201 for is in the database, every ticket a window got a 200
# finish for is done and has its call/start/finish events, every hall event and take
# has its audit row, the audit chain verifies, no other status than 2xx (a call on an
# empty queue, 409 QUEUE_EMPTY, is retried and counted apart).
#
# TAKERS was 4 until 2026-12-02: on a faster machine 4 kiosk loops (each waiting for its
# answer) could not keep 16 windows fed: 5 000-6 000 of their calls a run found the queue
# empty, so the figure measured the load generator. With 8 the windows never starve.
# Environment: DURATION (10s), REPEAT (3), WINDOWS (16), LINES (26), TAKERS (8),
# THREADS (server --threads, 4), YICHUANG_BIN, CC (cc).
source "$(dirname "$0")/lib.sh"
need curl sqlite3 node "${CC:-cc}"
ensure_release
CALLER=${CALLER:-c}
THREADS=${THREADS:-4}
REPEAT=${REPEAT:-3}
WINDOWS=${WINDOWS:-16}
LINES=${LINES:-26}
TAKERS=${TAKERS:-8}
SECS=${DURATION%s}
LOAD=$BENCH_DIR/hall_load.mjs

RAW=$SCRATCH/raw_hall
"${CC:-cc}" -O2 -o "$RAW" "$BENCH_DIR/raw_hall.c" -lsqlite3 || die "cannot build raw_hall.c"
if [ "$CALLER" = c ]; then
    CALLER_BIN=$SCRATCH/hall_caller
    "${CC:-cc}" -O2 -o "$CALLER_BIN" "$BENCH_DIR/hall_caller.c" -ljansson || die "cannot build hall_caller.c"
fi

echo "== hall ticket cycle (take + call + start + finish): yichuang vs raw SQLite (same transactions)"
print_machine
echo "sqlite:  $(sqlite3 --version | awk '{print $1}'), data on $(df -T "$SCRATCH" | awk 'NR==2 {print $2" ("$1")"}')"
echo "load:    $([ "$CALLER" = c ] && echo "bench/hall_caller.c cycle" || echo "node bench/hall_load.mjs cycle"): $WINDOWS windows (call -> start -> finish), $TAKERS kiosk takers, $LINES lines, ${SECS}s"
echo "server:  yichuang serve --threads $THREADS --no-access-log"
echo

# The template: windows, lines, kiosk, windows open.
TPL=$SCRATCH/template
yc_init "$TPL"
yc_start "$TPL"
node "$LOAD" setup "$YC_URL" "$WINDOWS" "$LINES" "$SCRATCH/setup.json" || die "setup failed"
yc_stop
jget() { node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(eval(process.argv[2]))' "$@"; }
W_IDS=$(jget "$SCRATCH/setup.json" 'o.window_ids.join(",")')
L_IDS=$(jget "$SCRATCH/setup.json" 'o.line_ids.join(",")')

# raw_rate MODE: cycles per second of raw SQLite on a fresh copy of the template.
raw_rate() {
    rm -f "$SCRATCH/raw.db" "$SCRATCH/raw.db-wal" "$SCRATCH/raw.db-shm"
    cp "$TPL/yichuang.db" "$SCRATCH/raw.db"
    "$RAW" "$SCRATCH/raw.db" "$1" "$SECS" "$W_IDS" "$L_IDS" | sed 's/.*cycles_per_s=\([0-9.]*\).*/\1/'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ok=1
check() { # check DESCRIPTION COMMAND...: print ok/FAIL; a failure fails the script
    local what=$1
    shift
    if "$@"; then echo "      ok    $what"; else echo "      FAIL  $what"; ok=0; fi
}

# hall_run N: one yichuang run on a copy of the template, then its checks; appends
# "cycles_per_s ratio raw_normal take_p99 call_p99 start_p99 finish_p99" to $RUNS.
hall_run() {
    local n=$1 DATA=$SCRATCH/data-$1 OUT=$SCRATCH/cycle-$1.json
    local raw_before raw_after raw_normal hwm
    raw_before=$(raw_rate NORMAL)
    rm -rf "$DATA"
    cp -a "$TPL" "$DATA"
    yc_start "$DATA" --threads "$THREADS"
    if [ "$CALLER" = c ]; then
        "$CALLER_BIN" cycle "$YC_URL" "$SCRATCH/setup.json" "$SECS" "$TAKERS" "$OUT" || die "load failed"
    else
        node "$LOAD" cycle "$YC_URL" "$SCRATCH/setup.json" "$SECS" "$TAKERS" "$OUT" || die "load failed"
    fi
    hwm=$(rss_kb "$YC_PID" VmHWM)
    yc_stop
    raw_after=$(raw_rate NORMAL)
    raw_normal=$(awk -v a="$raw_before" -v b="$raw_after" 'BEGIN { printf "%.1f", (a + b) / 2 }')

    local rate cycles other line p
    rate=$(jget "$OUT" 'o.cycles_per_s.toFixed(1)')
    cycles=$(jget "$OUT" 'o.cycles')
    other=$(jget "$OUT" 'JSON.stringify(o.other_statuses)')
    jget "$OUT" 'o.taken.map((t) => t[0] + " " + t[1]).join("\n")' >"$SCRATCH/taken.txt"
    jget "$OUT" 'o.finished.join("\n")' >"$SCRATCH/finished.txt"
    line="run $n: yichuang $rate cycles/s ($cycles cycles);"
    for p in take call start finish; do
        line="$line $p p50/p99 $(jget "$OUT" "o.$p.p50_ms.toFixed(1) + '/' + o.$p.p99_ms.toFixed(1)") ms,"
    done
    echo "$line"
    echo "      raw NORMAL $raw_before before, $raw_after after; ratio $(ratio "$rate" "$raw_normal")x;" \
        "calls on an empty queue: $(jget "$OUT" 'o.queue_empty_retries'); server VmHWM $hwm kB"
    [ "$(jget "$OUT" 'o.quota_full')" = false ] ||
        echo "      note: the daily quota (999 a line) ran out: the rate fell at the end; raise LINES or shorten DURATION"

    local DB=$DATA/yichuang.db dups missing_taken not_done no_events unaudited verify_out verify_rc
    dups=$(sqlite3 "$DB" 'SELECT COUNT(*) - COUNT(DISTINCT center_id || service_day || number) FROM tickets')
    sqlite3 -separator ' ' "$DB" 'SELECT id, number FROM tickets' >"$SCRATCH/db-tickets.txt"
    missing_taken=$(awk 'NR == FNR { have[$1 " " $2] = 1; next } !(($1 " " $2) in have) { n++ } END { print n + 0 }' \
        "$SCRATCH/db-tickets.txt" "$SCRATCH/taken.txt")
    sqlite3 "$DB" "SELECT id FROM tickets WHERE status = 'done'" >"$SCRATCH/db-done.txt"
    not_done=$(awk 'NR == FNR { have[$1] = 1; next } !($1 in have) { n++ } END { print n + 0 }' \
        "$SCRATCH/db-done.txt" "$SCRATCH/finished.txt")
    # One pass over the events (a subquery per ticket took minutes at 8 000 tickets).
    no_events=$(sqlite3 "$DB" "WITH full AS (SELECT json_extract(payload, '$.ticket_id') AS id
          FROM hall_events WHERE kind IN ('take', 'call', 'start', 'finish')
          GROUP BY 1 HAVING COUNT(DISTINCT kind) = 4)
        SELECT COUNT(*) FROM tickets WHERE status = 'done' AND id NOT IN (SELECT id FROM full)")
    unaudited=$(sqlite3 "$DB" "SELECT
        (SELECT COUNT(*) FROM hall_events WHERE kind IN ('take', 'call', 'start', 'finish')) -
        (SELECT COUNT(*) FROM audit_log WHERE action IN ('ticket_take', 'call', 'start', 'finish'))")
    verify_out=$("$YC" audit verify --data "$DATA" 2>&1) && verify_rc=0 || verify_rc=$?
    check "no ticket number twice (duplicates: $dups)" test "$dups" = 0
    check "tickets the kiosks got a 201 for: $(wc -l <"$SCRATCH/taken.txt"), missing from the database: $missing_taken" \
        test "$missing_taken" = 0
    check "tickets the windows got a 200 finish for: $cycles, not done in the database: $not_done" test "$not_done" = 0
    check "done tickets without their take/call/start/finish events: $no_events" test "$no_events" = 0
    check "hall events of take/call/start/finish - their audit rows: $unaudited" test "$unaudited" = 0
    check "no other status (besides 409 QUEUE_EMPTY, retried): $other" test "$other" = '{}'
    check "yichuang audit verify: exit $verify_rc: $verify_out" test "$verify_rc" = 0
    echo "$rate $(ratio "$rate" "$raw_normal") $raw_normal $(jget "$OUT" '[o.take.p99_ms, o.call.p99_ms, o.start.p99_ms, o.finish.p99_ms].map((x) => x.toFixed(1)).join(" ")')" >>"$RUNS"
}

raw_full=$(raw_rate FULL)
echo "raw SQLite, synchronous=FULL: $raw_full cycles/s (4 transactions a cycle)"
RUNS=$SCRATCH/runs.txt
: >"$RUNS"
for n in $(seq 1 "$REPEAT"); do hall_run "$n"; done

col() { awk -v c="$1" '{ print $c }' "$RUNS" | median; }
y_rate=$(col 1)
echo
echo "medians of $REPEAT runs:"
echo "  raw SQLite, synchronous=NORMAL: $(col 3) cycles/s"
echo "  raw SQLite, synchronous=FULL:   $raw_full cycles/s (one run)"
echo "  yichuang:                       $y_rate cycles/s; p99 take $(col 4), call $(col 5), start $(col 6), finish $(col 7) ms"
echo "  ratio yichuang / raw NORMAL: $(col 2)x (goal >= 0.5x)"
echo "  ratio yichuang / raw FULL:   $(ratio "$y_rate" "$raw_full")x"
[ "$ok" = 1 ] || { echo "a check FAILED"; exit 1; }
