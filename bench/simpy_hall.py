#!/usr/bin/python3
"""bench/simpy_hall.py - the hall day of bench/mmc_hall.json simulated with SimPy.

M/M/c with priorities: windows open at 09:00, Poisson arrivals at RATE per hour until
17:00, a share GREEN of them in the green channel (SimPy PriorityResource: green
first, then by arrival), exponential handling with mean MEAN minutes; the windows
serve until the queue is empty. Each day is a fresh environment with its own seed.
Prints JSON: days, seconds, days_per_second, the mean of the daily mean waits of the
served (daily_mean_wait_s) with its 95% half-width (ci95_s), and the overall mean.

The overall mean wait does not depend on the order of calling (every class has the
same exponential handling time and no window idles while someone waits), so it must
agree with `yichuang simulate`, which calls by its own interleave and aging rules.

Needs Debian's python3-simpy3 (apt-get install python3-simpy3).
"""
import argparse
import json
import math
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.exit("simpy_hall.py: 需要 SimPy：apt-get install python3-simpy3")


def day(seed, windows, rate, mean_min, green):
    rng = random.Random(seed)
    env = simpy.Environment(initial_time=9 * 3600.0)
    desk = simpy.PriorityResource(env, capacity=windows)
    waits = []
    mean_s = mean_min * 60.0

    def applicant(prio):
        arrived = env.now
        with desk.request(priority=prio) as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / mean_s))

    def arrivals():
        close = 17 * 3600.0
        while True:
            yield env.timeout(rng.expovariate(rate / 3600.0))
            if env.now >= close:
                return
            env.process(applicant(0 if rng.random() < green else 1))

    env.process(arrivals())
    env.run()
    return waits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--windows", type=int, default=6)
    ap.add_argument("--rate", type=float, default=38.0, help="arrivals per hour")
    ap.add_argument("--mean", type=float, default=8.0, help="mean handling, minutes")
    ap.add_argument("--green", type=float, default=0.1)
    a = ap.parse_args()
    t0 = time.perf_counter()
    daily, total, n = [], 0.0, 0
    for d in range(a.days):
        w = day(a.seed * 1000003 + d, a.windows, a.rate, a.mean, a.green)
        if w:
            daily.append(sum(w) / len(w))
            total += sum(w)
            n += len(w)
    secs = time.perf_counter() - t0
    m = sum(daily) / len(daily)
    var = sum((x - m) ** 2 for x in daily) / (len(daily) - 1) if len(daily) > 1 else 0.0
    print(json.dumps({
        "simpy": simpy.__version__, "days": a.days, "seconds": secs,
        "days_per_second": a.days / secs if secs > 0 else 0.0,
        "daily_mean_wait_s": m, "ci95_s": 1.96 * math.sqrt(var / len(daily)),
        "mean_wait_s": total / n if n else 0.0, "served": n,
    }))


if __name__ == "__main__":
    main()
