#!/usr/bin/env bash
# bench/catalog_bench.sh - the catalog's two benchmarks (issue 5).
#
# 1. Guide page: GET /guide/items/CODE (the public 办事指南 page of 食品经营许可 in the demo
#    catalog, rendered once per published version and served from memory) against nginx
#    (1 worker, access log off) serving the same bytes from a file. Same wrk command,
#    nginx measured right before each yichuang run, REPEAT runs, medians. Goal >= 1.0x.
# 2. Search latency: the demo county plus N synthetic items (bench/gen_catalog.py,
#    imported through POST /api/v1/catalog/import in chunks), for N in SEARCH_SIZES
#    (10000 100000); wrk -t1 -c$SEARCH_CONNS drives /api/v1/public/search with rotating
#    queries (bench/search.lua) and reports p50/p99. Reference in the same run: nginx
#    serving one saved search answer from a file at the same concurrency. Goal: p99 <= 10 ms
#    at 100,000 items.
#
# Environment: DURATION (10s), REPEAT (3), WRK_THREADS (2), WRK_CONNS (64), THREADS (4),
# SEARCH_SIZES ("10000 100000"), SEARCH_CONNS (4), YICHUANG_BIN.
# shellcheck disable=SC2154 # n_rps, n_p99, n_cpu: set by bench_nginx (lib.sh)
source "$(dirname "$0")/lib.sh"
need wrk nginx curl node python3
ensure_release
REPEAT=${REPEAT:-3}
THREADS=${THREADS:-4}
SEARCH_SIZES=${SEARCH_SIZES:-"10000 100000"}
SEARCH_CONNS=${SEARCH_CONNS:-4}
CODE=${GUIDE_CODE:-1102000002}
DEMO_PW=Demo2026yc

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# demo_start DIR: `yichuang demo` on DIR (created on first use); sets YC_PID, YC_URL.
demo_start() {
    local dir=$1 i
    mkdir -p "$dir"
    rm -f "$dir/port"
    "$YC" demo --data "$dir" --port 0 --bind 127.0.0.1 --port-file "$dir/port" --threads "$THREADS" \
        --no-access-log --body-limit 16777216 --web "$REPO/web" \
        --demo-data "$REPO/share/demo/county.json" --holidays "$REPO/share/holidays/cn.json" \
        >>"$dir/server.log" 2>&1 &
    YC_PID=$!
    for i in $(seq 1 500); do
        [ -s "$dir/port" ] && break
        kill -0 "$YC_PID" 2>/dev/null || die "demo exited: $(tail -5 "$dir/server.log")"
        sleep 0.02
    done
    [ -s "$dir/port" ] || die "demo did not start"
    YC_URL="http://127.0.0.1:$(cat "$dir/port")"
}

demo_login() {
    local out
    out=$(curl -sS -D - -o "$SCRATCH/login.json" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$DEMO_PW\"}" "$YC_URL/api/v1/session")
    YC_COOKIE=$(printf '%s' "$out" | grep -io 'yc_session=[^;]*' | head -1)
    YC_CSRF=$(grep -o '"csrf_token":"[^"]*"' "$SCRATCH/login.json" | cut -d'"' -f4)
    [ -n "$YC_COOKIE" ] && [ -n "$YC_CSRF" ] || die "demo login failed: $(cat "$SCRATCH/login.json")"
}

print_machine
echo

# ---------------------------------------------------------------- 1. guide page
DATA=$SCRATCH/guide
demo_start "$DATA"
WWW=$SCRATCH/www
GPATH=/guide/items/$CODE
mkdir -p "$WWW/guide/items"
BODY=$WWW$GPATH
curl -sS -D "$SCRATCH/guide.headers" -o "$BODY" "$YC_URL$GPATH"
grep -q '^HTTP/1.1 200' "$SCRATCH/guide.headers" || die "guide GET failed: $(head -3 "$SCRATCH/guide.headers")"
yc_stop
nginx_start 1 "$GPATH" "text/html; charset=utf-8"
echo "== 1. GET $GPATH: yichuang (--threads $THREADS) vs nginx 1 worker, same $(wc -c <"$BODY") bytes"
echo "wrk: -t$WRK_THREADS -c$WRK_CONNS -d$DURATION --latency"
printf '%4s %10s %10s %12s %10s %8s\n' run yc_req/s yc_p99_ms nginx_req/s ngx_p99_ms ratio
: >"$SCRATCH/guide-runs.txt"
for rep in $(seq 1 "$REPEAT"); do
    bench_nginx "ngx-guide-$rep"
    demo_start "$DATA"
    curl -sS -o "$SCRATCH/yc.body" "$YC_URL$GPATH"
    cmp -s "$BODY" "$SCRATCH/yc.body" || die "guide page changed between runs"
    wrk_run "$SCRATCH/yc-guide-$rep.txt" "$YC_URL$GPATH"
    yc_stop
    Y=$SCRATCH/yc-guide-$rep.txt
    [ "$(wrk_errors "$Y")" = 0 ] || die "yichuang errors: $(cat "$Y")"
    y_rps=$(wrk_rps "$Y")
    r=$(ratio "$y_rps" "$n_rps")
    printf '%4s %10.0f %10s %12.0f %10s %7sx\n' "$rep" "$y_rps" "$(to_ms "$(wrk_p99 "$Y")")" "$n_rps" "$n_p99" "$r"
    echo "$r $y_rps $n_rps" >>"$SCRATCH/guide-runs.txt"
done
echo "guide page: yichuang/nginx = $(awk '{ print $1 }' "$SCRATCH/guide-runs.txt" | median)x" \
    "(median of $REPEAT; $(awk '{ print $2 }' "$SCRATCH/guide-runs.txt" | median) vs" \
    "$(awk '{ print $3 }' "$SCRATCH/guide-runs.txt" | median) req/s; goal >= 1.0x)"
kill "$NGX_PID"
wait "$NGX_PID" 2>/dev/null || true
BG_PIDS=()
echo

# ---------------------------------------------------------------- 2. search latency
for N in $SEARCH_SIZES; do
    DATA=$SCRATCH/search-$N
    GEN=$SCRATCH/gen-$N
    python3 "$BENCH_DIR/gen_catalog.py" "$N" "$GEN" 5000
    demo_start "$DATA"
    demo_login
    t0=$(date +%s.%N)
    for f in "$GEN"/chunk-*.json; do
        code=$(curl -sS -o "$SCRATCH/import.json" -w '%{http_code}' -H "Cookie: $YC_COOKIE" \
            -H "X-CSRF-Token: $YC_CSRF" -H 'Content-Type: application/json' \
            --data-binary "@$f" "$YC_URL/api/v1/catalog/import")
        [ "$code" = 200 ] || die "import of $f failed ($code): $(head -c 600 "$SCRATCH/import.json")"
    done
    t1=$(date +%s.%N)
    SPATH=/api/v1/public/search
    curl -sS -o "$SCRATCH/search.json" "$YC_URL$SPATH?limit=20&q=%E5%85%BB%E8%80%81%E4%BF%9D%E9%99%A9"
    total=$(grep -o '"total": *[0-9]*' "$SCRATCH/search.json" | head -1 | grep -o '[0-9]*$')
    echo "== 2. search at $N synthetic items (+ demo catalog): import took" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s;" \
        "'养老保险' matches ${total:-?} items"
    WRK_SAVE=("$WRK_THREADS" "$WRK_CONNS")
    WRK_THREADS=1
    WRK_CONNS=$SEARCH_CONNS
    wrk_run "$SCRATCH/search-$N.txt" -s "$BENCH_DIR/search.lua" "$YC_URL"
    S=$SCRATCH/search-$N.txt
    [ "$(wrk_errors "$S")" = 0 ] || die "search errors: $(cat "$S")"
    yc_stop
    # Reference: nginx sending one saved search answer at the same concurrency.
    WWW=$SCRATCH/www-search
    mkdir -p "$WWW/api/v1/public"
    BODY=$WWW$SPATH
    cp "$SCRATCH/search.json" "$BODY"
    nginx_start 1 "$SPATH"
    bench_nginx "ngx-search-$N"
    kill "$NGX_PID"
    wait "$NGX_PID" 2>/dev/null || true
    BG_PIDS=()
    WRK_THREADS=${WRK_SAVE[0]}
    WRK_CONNS=${WRK_SAVE[1]}
    echo "search $N: yichuang p50 $(to_ms "$(wrk_p50 "$S")") ms, p99 $(to_ms "$(wrk_p99 "$S")") ms," \
        "$(printf '%.0f' "$(wrk_rps "$S")") req/s at $SEARCH_CONNS connections;" \
        "nginx (saved answer, same connections) p99 $n_p99 ms, $(printf '%.0f' "$n_rps") req/s;" \
        "req/s ratio $(ratio "$(wrk_rps "$S")" "$n_rps")x; goal p99 <= 10 ms at 100000"
    echo
done
