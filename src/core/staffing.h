/*
 * staffing.h - staffing advice per line and hour (窗口调度, DOMAIN.md §4 "window count
 * follows demand") and the workload balance across windows. Pure: the figures come
 * in (arrivals, handling times, windows open), the advice goes out; the service layer
 * (service/hall_staffing.c) reads them from the tickets and hall events.
 *
 * Needed windows for an hour: offered load a = arrivals x mean handling / 3600 s
 * (Erlangs), then the smallest n reaching the target ("target share called within
 * t") by Erlang C (nobody leaves), or by Erlang A when a mean patience is given
 * (applicants give up). See core/erlang.h.
 */
#ifndef YC_CORE_STAFFING_H
#define YC_CORE_STAFFING_H

#include <stdbool.h>
#include <stdint.h>

typedef struct staffing_target {
    double target;     /* share to be called within wait_s, 0 < target < 1 */
    double wait_s;     /* the threshold, seconds (> 0) */
    double patience_s; /* mean patience, seconds; 0 = Erlang C */
    int max_n;         /* give up (needed = -1) beyond this many windows */
} staffing_target;

typedef struct staffing_hour {
    /* in */
    int arrivals;    /* tickets taken in the hour */
    double handle_s; /* mean handling time, seconds (> 0) */
    double open;     /* windows open that hour (window-hours, may be fractional) */
    /* out */
    double load;          /* offered load, Erlangs */
    int needed;           /* windows needed for the target; -1 beyond max_n */
    double service_level; /* expected share called within wait_s with `open` windows
                             (floor of open), 0..1; 1 when there are no arrivals */
    bool shortfall;       /* open < needed (or needed == -1 with arrivals) */
} staffing_hour;

/* Fill the out fields of h. 0, or -1 on bad arguments (h unchanged). */
int staffing_hour_eval(staffing_hour *h, const staffing_target *t);

typedef struct staffing_balance {
    int n;       /* windows counted */
    double mean; /* mean of the values */
    double cv;   /* coefficient of variation: population sd / mean (0 if mean 0) */
    double max, min;
    double max_min; /* max / min; -1 when min is 0 (undefined) */
    /* 0 balanced (cv < 0.15), 1 uneven (cv < 0.35), 2 very uneven; 0 when n < 2 */
    int level;
} staffing_balance;

/* Balance of n values (e.g. tickets served per window). */
void staffing_balance_of(const double *v, int n, staffing_balance *out);

/* The instant (ms since the epoch) China Standard Time midnight begins the day
 * "YYYY-MM-DD", and its weekday (1 = Monday ... 7 = Sunday). 0, or -1 if day is not a
 * real date. */
int staffing_day_start(const char *day, int64_t *ms, int *weekday);

/* "balanced", "uneven", "very_uneven". */
const char *staffing_level_code(int level);

#endif
