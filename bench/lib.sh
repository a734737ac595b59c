# shellcheck shell=bash disable=SC2034
# bench/lib.sh - shared by the bench/*.sh scripts (sourced, not run).
#
# Starts yichuang on a fresh data dir in a scratch directory, logs in as the admin,
# reads /metrics and /proc/PID/status, and cleans everything up on exit. Every
# process it starts is stopped by its own pid.

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
YC=${YICHUANG_BIN:-$REPO/build/release/yichuang}
ADMIN_PW='Admin#2026pw'
# wrk settings shared by every run (overridable from the environment).
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-64}
DURATION=${DURATION:-10s}

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/yc-bench.XXXXXX")
chmod 755 "$SCRATCH" # nginx workers run as an unprivileged user
YC_PID=
BG_PIDS=()

cleanup() {
    local p
    for p in "${BG_PIDS[@]}" $YC_PID; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${BG_PIDS[@]}" $YC_PID; do
        wait "$p" 2>/dev/null || true
    done
    if [ -z "${KEEP_SCRATCH:-}" ]; then rm -rf "$SCRATCH"; else echo "scratch kept: $SCRATCH"; fi
}
trap cleanup EXIT

die() { echo "bench: $*" >&2; exit 1; }

need() {
    local t
    for t in "$@"; do command -v "$t" >/dev/null || die "$t is not installed"; done
}

# The release binary; built with the release preset if absent.
ensure_release() {
    if [ -z "${YICHUANG_BIN:-}" ] && [ ! -x "$YC" ]; then
        (cd "$REPO" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null) ||
            die "release build failed"
    fi
    [ -x "$YC" ] || die "no binary at $YC"
}

# yc_init DIR: a fresh data dir with the admin.
yc_init() {
    rm -rf "$1"
    "$YC" init --data "$1" --admin-password "$ADMIN_PW" >/dev/null 2>&1 || die "init failed"
}

# yc_start DIR [serve flags...]: start the server (access log off); sets YC_PID, YC_PORT, YC_URL.
yc_start() {
    local dir=$1
    shift
    rm -f "$dir/port"
    "$YC" serve --data "$dir" --port 0 --bind 127.0.0.1 --port-file "$dir/port" \
        --no-access-log --web "$REPO/web" "$@" >>"$dir/server.log" 2>&1 &
    YC_PID=$!
    local i
    for i in $(seq 1 250); do
        [ -s "$dir/port" ] && break
        kill -0 "$YC_PID" 2>/dev/null || die "server exited: $(tail -5 "$dir/server.log")"
        sleep 0.02
    done
    [ -s "$dir/port" ] || die "server did not start"
    YC_PORT=$(cat "$dir/port")
    YC_URL="http://127.0.0.1:$YC_PORT"
}

# yc_stop: SIGTERM and wait (the server checkpoints and closes the database).
yc_stop() {
    if [ -n "$YC_PID" ]; then
        kill -TERM "$YC_PID" 2>/dev/null || true
        wait "$YC_PID" 2>/dev/null || true
        YC_PID=
    fi
}

# yc_login: sets YC_COOKIE ("yc_session=...") and YC_CSRF.
yc_login() {
    local out
    out=$(curl -sS -D - -o "$SCRATCH/login.json" -H 'Content-Type: application/json' \
        -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" "$YC_URL/api/v1/session")
    YC_COOKIE=$(printf '%s' "$out" | grep -io 'yc_session=[^;]*' | head -1)
    YC_CSRF=$(grep -o '"csrf_token":"[^"]*"' "$SCRATCH/login.json" | cut -d'"' -f4)
    [ -n "$YC_COOKIE" ] && [ -n "$YC_CSRF" ] || die "login failed: $(cat "$SCRATCH/login.json")"
    export YC_COOKIE YC_CSRF
}

# metric NAME: the value of an unlabelled metric from /metrics.
metric() {
    curl -sS "$YC_URL/metrics" | awk -v n="$1" '$1 == n { print $2 }'
}

# rss_kb PID FIELD: VmRSS or VmHWM of a process, in kB.
rss_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# A free loopback TCP port (node asks the kernel for one).
free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wrk_run OUT ARGS...: run wrk with --latency, output to OUT (and echoed).
wrk_run() {
    local out=$1
    shift
    wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$DURATION" --latency "$@" >"$out" 2>&1 || {
        cat "$out"
        die "wrk failed"
    }
}

# Figures from a wrk report.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
wrk_p99() { awk '$1 == "99%" { print $2 }' "$1"; }
wrk_p50() { awk '$1 == "50%" { print $2 }' "$1"; }
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { for (i = 4; i <= NF; i += 2) n += $i }
         END { print n + 0 }' "$1" | tr -d ','
}

# ratio A B: A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# to_ms "1.23ms" / "850.00us" / "1.02s": milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else print v }'
}

print_machine() {
    echo "date:    $(date -Iseconds)"
    echo "machine: $(nproc) CPUs, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')," \
        "$(awk '/MemTotal/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
    echo "binary:  $YC"
}

# cpu_ticks PID: user+system CPU time of a process (all its threads), in clock ticks.
cpu_ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
CLK_TCK=$(getconf CLK_TCK)

# cpu_us_per_req TICKS REQUESTS: CPU microseconds per request.
cpu_us_per_req() {
    awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }'
}

# wrk_requests FILE: total requests completed in a wrk report.
wrk_requests() { awk '/requests in/ { print $1 }' "$1"; }

# get_fixture DIR: a data dir with one announcement (id 1), and its GET answer's body
# saved as $BODY under $WWW (for nginx). Leaves the server stopped, YC_COOKIE valid.
get_fixture() {
    yc_init "$1"
    yc_start "$1"
    yc_login
    curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $YC_COOKIE" -H "X-CSRF-Token: $YC_CSRF" \
        -H 'Content-Type: application/json' \
        -d '{"center_id":1,"title":"关于元旦假期办事安排的公告","body":"1月1日至3日大厅暂停对外办公，网上办理不受影响。急办事项请拨打值班电话。"}' \
        "$YC_URL/api/v1/announcements" | grep -q 201 || die "cannot create the announcement"
    WWW=$SCRATCH/www
    mkdir -p "$WWW/api/v1/announcements"
    BODY=$WWW/api/v1/announcements/1
    curl -sS -D "$SCRATCH/yc.headers" -o "$BODY" -H "Cookie: $YC_COOKIE" "$YC_URL/api/v1/announcements/1"
    grep -q '^HTTP/1.1 200' "$SCRATCH/yc.headers" || die "GET failed: $(cat "$SCRATCH/yc.headers" "$BODY")"
    yc_stop
}

# nginx_start WORKERS [PATH [TYPE]]: nginx serving the file $WWW$PATH (default
# /api/v1/announcements/1; its bytes must equal the file $BODY) as TYPE (default JSON),
# with its own prefix, conf and temp paths, in the foreground; sets NGX_PID and NGX_URL.
nginx_start() {
    local ngx=$SCRATCH/nginx-$1 port i
    local path=${2:-/api/v1/announcements/1} type=${3:-"application/json; charset=utf-8"}
    mkdir -p "$ngx/logs" "$ngx/tmp"
    port=$(free_port)
    cat >"$ngx/nginx.conf" <<EOF
worker_processes $1;
daemon off;
pid $ngx/nginx.pid;
error_log $ngx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    etag off;
    # MHD never closes a keep-alive connection after N requests; nor does nginx here.
    keepalive_requests 10000000;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $WWW;
        default_type "$type";
        location / {
            # the headers yichuang sends, so the bytes on the wire are alike
            add_header Cache-Control "no-store";
            add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; media-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            add_header X-Content-Type-Options nosniff;
            add_header X-Frame-Options DENY;
            add_header Referrer-Policy no-referrer;
        }
    }
}
EOF
    nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/logs/error.log" 2>>"$ngx/logs/error.log" &
    NGX_PID=$!
    BG_PIDS+=("$NGX_PID")
    NGX_URL="http://127.0.0.1:$port$path"
    for i in $(seq 1 100); do curl -s -o /dev/null "$NGX_URL" && break; sleep 0.05; done
    curl -sS -o "$SCRATCH/ngx.body" "$NGX_URL"
    cmp -s "$BODY" "$SCRATCH/ngx.body" || die "nginx does not serve the same bytes"
}

# nginx_cpu: CPU ticks of every nginx process (master and workers).
nginx_cpu() {
    local t=0 p
    for p in $NGX_PID $(pgrep -P "$NGX_PID"); do t=$((t + $(cpu_ticks "$p"))); done
    echo "$t"
}

# bench_nginx NAME: wrk against nginx; sets n_rps, n_p99 and n_cpu (CPU us per request).
bench_nginx() {
    local c0 c1
    c0=$(nginx_cpu)
    wrk_run "$SCRATCH/$1.txt" "$NGX_URL"
    c1=$(nginx_cpu)
    [ "$(wrk_errors "$SCRATCH/$1.txt")" = 0 ] || die "nginx errors: $(cat "$SCRATCH/$1.txt")"
    n_rps=$(wrk_rps "$SCRATCH/$1.txt")
    n_p99=$(to_ms "$(wrk_p99 "$SCRATCH/$1.txt")")
    n_cpu=$(cpu_us_per_req $((c1 - c0)) "$(wrk_requests "$SCRATCH/$1.txt")")
}
