#!/usr/bin/env bash
# bench/sim_vs_simpy.sh - `yichuang simulate` against SimPy on the same hall model.
#
# The model (bench/mmc_hall.json = bench/simpy_hall.py's defaults): one line, 6
# windows open from 09:00, Poisson arrivals at 38 per hour until 17:00 (10% green
# channel), exponential handling with mean 8 minutes, nobody gives up, no no-shows;
# the windows serve until the queue is empty. Each simulated day starts empty.
#
# Both simulate DAYS days, single-threaded (yichuang also with --threads THREADS).
# Printed: days per second of each and the ratio (goal in issue 6: >= 100x SimPy),
# and the mean of the daily mean waits with 95% confidence half-widths. The overall
# mean wait does not depend on the calling order (same handling-time distribution
# for every class, no idle window while someone waits), so the two must agree within
# statistical error although yichuang calls by its own interleave/aging rule and
# SimPy by strict priority; the script checks |difference| <= the combined half-width
# x 1.5 and exits non-zero if not.
#
# Environment: DAYS (default 5000, both simulators), SIMPY_DAYS (default DAYS; SimPy
# does some 80 days a second here, so 5000 days x REPEAT take a few minutes), SEED (1),
# THREADS (nproc), REPEAT (3, median speed), YICHUANG_BIN (default
# build/release/yichuang).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$BENCH_DIR/.." && pwd)
YC=${YICHUANG_BIN:-$REPO/build/release/yichuang}
DAYS=${DAYS:-5000}
SIMPY_DAYS=${SIMPY_DAYS:-$DAYS}
SEED=${SEED:-1}
THREADS=${THREADS:-$(nproc)}
REPEAT=${REPEAT:-3}
PY=/usr/bin/python3

die() { echo "bench: $*" >&2; exit 1; }
"$PY" -c 'import simpy' 2>/dev/null || die "SimPy is not importable from $PY (apt-get install python3-simpy3)"
if [ -z "${YICHUANG_BIN:-}" ] && [ ! -x "$YC" ]; then
    (cd "$REPO" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null) ||
        die "release build failed"
fi
[ -x "$YC" ] || die "no binary at $YC"

# field JSON KEY: a number from one-line-per-key JSON or the compact form.
field() { "$PY" -c 'import json,sys; d=json.load(sys.stdin); k=sys.argv[1].split("."); [d:=d[x] for x in k]; print(d)' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== hall day simulation: yichuang simulate vs SimPy $("$PY" -c 'import simpy; print(simpy.__version__)') (same model: bench/mmc_hall.json)"
echo "machine: $(nproc) cores, $(uname -r); python $("$PY" -c 'import platform; print(platform.python_version())')"
echo "days:    yichuang $DAYS, SimPy $SIMPY_DAYS; seed $SEED; speed = median of $REPEAT runs"
echo

yc_rates=() yc_par_rates=() py_rates=()
for ((i = 1; i <= REPEAT; i++)); do
    py_json=$("$PY" "$BENCH_DIR/simpy_hall.py" --days "$SIMPY_DAYS" --seed "$SEED")
    py_rates+=("$(field days_per_second <<<"$py_json")")
    yc_json=$("$YC" simulate "$BENCH_DIR/mmc_hall.json" --days "$DAYS" --seed "$SEED" --threads 1 --json)
    yc_rates+=("$(field days_per_second <<<"$yc_json")")
    par_json=$("$YC" simulate "$BENCH_DIR/mmc_hall.json" --days "$DAYS" --seed "$SEED" --threads "$THREADS" --json)
    yc_par_rates+=("$(field days_per_second <<<"$par_json")")
done
py_rate=$(printf '%s\n' "${py_rates[@]}" | median)
yc_rate=$(printf '%s\n' "${yc_rates[@]}" | median)
yc_par=$(printf '%s\n' "${yc_par_rates[@]}" | median)

yc_mean=$(field result.daily_mean_wait_s <<<"$yc_json")
yc_ci=$(field result.ci95_s <<<"$yc_json")
py_mean=$(field daily_mean_wait_s <<<"$py_json")
py_ci=$(field ci95_s <<<"$py_json")

printf '%-34s %12s %22s\n' "" "days/second" "mean wait (95% CI)"
printf '%-34s %12.0f %14.1f s ± %.1f\n' "SimPy (1 thread)" "$py_rate" "$py_mean" "$py_ci"
printf '%-34s %12.0f %14.1f s ± %.1f\n' "yichuang simulate (1 thread)" "$yc_rate" "$yc_mean" "$yc_ci"
printf '%-34s %12.0f\n' "yichuang simulate ($THREADS threads)" "$yc_par"
echo
awk -v y="$yc_rate" -v p="$py_rate" -v t="$yc_par" 'BEGIN {
    printf "speed ratio: %.0fx SimPy single-threaded (goal >= 100x), %.0fx with all threads\n", y / p, t / p }'
awk -v a="$yc_mean" -v ca="$yc_ci" -v b="$py_mean" -v cb="$py_ci" 'BEGIN {
    d = a - b; if (d < 0) d = -d; h = sqrt(ca * ca + cb * cb)
    printf "mean wait difference: %.1f s, combined 95%% half-width %.1f s -> %s\n", d, h,
        (d <= 1.5 * h ? "agree" : "DISAGREE")
    exit (d <= 1.5 * h ? 0 : 1) }'
