#!/usr/bin/env bash
# bench/write_vs_sqlite.sh - POST /api/v1/announcements on yichuang against raw SQLite
# doing the same transaction in one process.
#
# Reference (bench/raw_sqlite.c, built here with cc -O2 -lsqlite3): one transaction per
# row with the statements the server runs for a new announcement (insert the
# announcement, read the audit chain's head, insert the audit row, update the head,
# read the announcement back), same schema, WAL. Measured with synchronous=NORMAL (no
# fsync per commit: the goal's reference, run before and after each yichuang run) and
# with synchronous=FULL (an fsync per commit, what the server promises per reply).
#
# yichuang (release, access log off, synchronous=FULL, group commit): wrk with
# bench/post_notice.lua, 64 connections, cookie + X-CSRF-Token, unique titles. Then,
# with the server stopped: the rows in the database must equal the 201s the server
# sent (its /metrics), every id the client got a 201 for must be there, the audit
# chain must verify, and each announcement must have its notice_create audit row.
# REPEAT runs on fresh databases, raw NORMAL measured around each; medians reported.
#
# Environment: DURATION (10s), REPEAT (3), WRK_THREADS (2), WRK_CONNS (64), THREADS
# (server --threads, 4), YICHUANG_BIN (default build/release/yichuang), CC (cc).
source "$(dirname "$0")/lib.sh"
need wrk curl sqlite3 "${CC:-cc}"
ensure_release
THREADS=${THREADS:-4}
REPEAT=${REPEAT:-3}
SECS=${DURATION%s}

RAW=$SCRATCH/raw_sqlite
"${CC:-cc}" -O2 -o "$RAW" "$BENCH_DIR/raw_sqlite.c" -lsqlite3 || die "cannot build raw_sqlite.c"
raw_rate() { "$RAW" "$SCRATCH/raw.db" "$1" "$SECS" | sed 's/.*rows_per_s=//'; }

echo "== POST /api/v1/announcements: yichuang vs raw SQLite (same transaction)"
print_machine
echo "sqlite:  $(sqlite3 --version | awk '{print $1}'), data on $(df -T "$SCRATCH" | awk 'NR==2 {print $2" ("$1")"}')"
echo "wrk:     wrk -t$WRK_THREADS -c$WRK_CONNS -d$DURATION --latency -s bench/post_notice.lua URL"
echo "server:  yichuang serve --threads $THREADS --no-access-log"
echo

# median: the median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ok=1
check() { # check DESCRIPTION COMMAND...: print ok/FAIL; a failure fails the script
    local what=$1
    shift
    if "$@"; then echo "      ok    $what"; else echo "      FAIL  $what"; ok=0; fi
}

# yc_write_run N: one yichuang run on a fresh data dir, then its checks; appends
# "rps p99 ratio_normal" to $RUNS.
yc_write_run() {
    local n=$1 DATA=$SCRATCH/data-$1 W=$SCRATCH/wrk-post-$1.txt
    local raw_before raw_after raw_normal rss_idle rss_mid hwm commits0 jobs0 commits jobs max_batch server_201
    raw_before=$(raw_rate NORMAL)
    yc_init "$DATA"
    yc_start "$DATA" --threads "$THREADS"
    yc_login
    rss_idle=$(rss_kb "$YC_PID" VmRSS)
    commits0=$(metric yichuang_db_commits_total)
    jobs0=$(metric yichuang_db_write_jobs_total)
    mkdir -p "$SCRATCH/acked-$n"
    YC_ACKED_DIR=$SCRATCH/acked-$n wrk_run "$W" -s "$BENCH_DIR/post_notice.lua" "$YC_URL/" &
    local wrk_pid=$!
    sleep "$(awk -v d="$SECS" 'BEGIN { print d / 2 }')"
    rss_mid=$(rss_kb "$YC_PID" VmRSS)
    wait "$wrk_pid"
    hwm=$(rss_kb "$YC_PID" VmHWM)
    commits=$(($(metric yichuang_db_commits_total) - commits0))
    jobs=$(($(metric yichuang_db_write_jobs_total) - jobs0))
    max_batch=$(metric yichuang_db_max_batch)
    server_201=$(curl -sS "$YC_URL/metrics" |
        awk '/^yichuang_http_requests_total\{method="POST",route="\/api\/v1\/announcements",status="201"\}/ { print $2 }')
    yc_stop
    raw_after=$(raw_rate NORMAL)
    raw_normal=$(awk -v a="$raw_before" -v b="$raw_after" 'BEGIN { printf "%.1f", (a + b) / 2 }')

    local y_rps y_p50 y_p99 client_201 client_other socket_errors
    y_rps=$(wrk_rps "$W")
    y_p50=$(to_ms "$(wrk_p50 "$W")")
    y_p99=$(to_ms "$(wrk_p99 "$W")")
    client_201=$(awk '$1 == "status_201" { print $2 }' "$W")
    client_other=$(awk '$1 == "status_other" { print $2 }' "$W")
    socket_errors=$(awk '/Socket errors:/ { for (i = 4; i <= NF; i += 2) n += $i } END { print n + 0 }' "$W" | tr -d ',')

    # Checks on the database, with the server stopped.
    local DB=$DATA/yichuang.db rows audit_rows unaudited acked_lines missing verify_out verify_rc
    rows=$(sqlite3 "$DB" 'SELECT count(*) FROM announcements')
    audit_rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action = 'notice_create'")
    unaudited=$(sqlite3 "$DB" "SELECT count(*) FROM announcements WHERE id NOT IN
        (SELECT CAST(object_id AS INTEGER) FROM audit_log WHERE action = 'notice_create')")
    sqlite3 "$DB" 'SELECT id FROM announcements' >"$SCRATCH/ids.txt"
    cat "$SCRATCH/acked-$n"/acked-* >"$SCRATCH/acked.txt"
    acked_lines=$(wc -l <"$SCRATCH/acked.txt")
    missing=$(awk 'NR == FNR { have[$1] = 1; next } !($1 in have) { n++ } END { print n + 0 }' \
        "$SCRATCH/ids.txt" "$SCRATCH/acked.txt")
    verify_out=$("$YC" audit verify --data "$DATA" 2>&1) && verify_rc=0 || verify_rc=$?

    echo "run $n: yichuang $(printf '%.0f' "$y_rps") req/s, p50 $y_p50 ms, p99 $y_p99 ms;" \
        "raw NORMAL $(printf '%.0f' "$raw_before") before, $(printf '%.0f' "$raw_after") after;" \
        "ratio $(ratio "$y_rps" "$raw_normal")x"
    echo "      group commit: yichuang_db_write_jobs_total +$jobs, yichuang_db_commits_total +$commits," \
        "mean batch $(ratio "$jobs" "$commits"), yichuang_db_max_batch $max_batch"
    echo "      RSS: idle after start $rss_idle kB, under write load $rss_mid kB, VmHWM $hwm kB (a login's argon2id: 64 MiB)"
    check "201s seen by wrk: $client_201; other statuses: $client_other; socket errors: $socket_errors" \
        test "$client_other" = 0 -a "$socket_errors" = 0
    check "rows in announcements ($rows) = 201s the server sent ($server_201)" test "$rows" = "$server_201"
    check "ids wrk got a 201 for: $acked_lines (= its 201 count), missing from the database: $missing" \
        test "$acked_lines" = "$client_201" -a "$missing" = 0
    check "the server's 201s - wrk's = $((server_201 - client_201)): answers in flight when wrk stopped (<= $WRK_CONNS)" \
        test $((server_201 - client_201)) -ge 0 -a $((server_201 - client_201)) -le "$WRK_CONNS"
    check "notice_create audit rows ($audit_rows) = announcements ($rows), none without one ($unaudited)" \
        test "$audit_rows" = "$rows" -a "$unaudited" = 0
    check "yichuang audit verify: exit $verify_rc: $verify_out" test "$verify_rc" = 0
    echo "$y_rps $y_p99 $(ratio "$y_rps" "$raw_normal") $raw_normal" >>"$RUNS"
}

raw_full=$(raw_rate FULL)
echo "raw SQLite, synchronous=FULL: $(printf '%.0f' "$raw_full") rows/s"
RUNS=$SCRATCH/runs.txt
: >"$RUNS"
for n in $(seq 1 "$REPEAT"); do yc_write_run "$n"; done

col() { awk -v c="$1" '{ print $c }' "$RUNS" | median; }
y_rps=$(col 1)
y_p99=$(col 2)
raw_normal=$(col 4)
echo
echo "medians of $REPEAT runs:"
echo "  raw SQLite, synchronous=NORMAL: $(printf '%.0f' "$raw_normal") rows/s"
echo "  raw SQLite, synchronous=FULL:   $(printf '%.0f' "$raw_full") rows/s (one run)"
echo "  yichuang:                       $(printf '%.0f' "$y_rps") req/s, p99 $y_p99 ms"
echo "  ratio yichuang / raw NORMAL: $(col 3)x (goal >= 0.5x with p99 < 20 ms)"
echo "  ratio yichuang / raw FULL:   $(ratio "$y_rps" "$raw_full")x"
[ "$ok" = 1 ] || { echo "a check FAILED"; exit 1; }
