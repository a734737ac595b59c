/*
 * hallsim.h - a discrete-event simulation of a hall day (`yichuang simulate`).
 *
 * Applicants arrive by hour per service line (a Poisson process whose rate changes
 * every hour), some in the green channel; bookings arrive near their slot or not at
 * all; windows with skills open and close by the clock (lunch break included) and
 * call tickets with the server's own rule (core/qpolicy); a called applicant may be
 * absent (过号: the window calls and recalls, then moves on; some come back and rejoin
 * by the rule); waiting applicants give up after an exponential patience. Handling
 * times follow an exponential, lognormal or fixed distribution per line.
 *
 * Each day is independent and seeded from (seed, day), so a run gives the same
 * numbers for any thread count. All sums are integers (milliseconds) for the same
 * reason.
 */
#ifndef YC_HALLSIM_H
#define YC_HALLSIM_H

#include "core/qpolicy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_MAX_LINES   16
#define HS_MAX_WINDOWS 64
#define HS_MAX_SPANS   4
#define HS_NAME        64
/* Wait histogram: 10-second buckets up to 8 hours, the last one open-ended. */
#define HS_BUCKET_MS 10000
#define HS_BUCKETS   2881

enum hs_dist { HS_EXP = 0, HS_LOGNORMAL = 1, HS_FIXED = 2 };

typedef struct hs_line {
    char name[HS_NAME];
    char prefix[8];
    double walkin[24];  /* walk-in tickets per hour, hour h = [h:00, h+1:00) */
    double booked[24];  /* booked slots per hour (appointments) */
    double green_share; /* share of walk-ins in the green channel */
    int dist;           /* enum hs_dist */
    double service_mean_s;
    double service_cv; /* lognormal only */
    double patience_s; /* mean patience; 0 = nobody gives up */
} hs_line;

typedef struct hs_span {
    int32_t from_s, to_s; /* seconds since midnight */
} hs_span;

typedef struct hs_window {
    char name[HS_NAME];
    uint64_t skills; /* bit l: serves line l */
    hs_span span[HS_MAX_SPANS];
    int nspan;
    bool overtime; /* after its last span, serves on until its lines' queues empty */
} hs_window;

typedef struct hs_scenario {
    char name[128];
    hs_line line[HS_MAX_LINES];
    int nline;
    hs_window win[HS_MAX_WINDOWS];
    int nwin;
    qp_config policy;
    double target_wait_s;   /* service level: called within this */
    double target_level;    /* e.g. 0.8 */
    double booking_noshow;  /* share of bookings that never come */
    double booking_early_s; /* bookings arrive uniformly in [slot - early, slot + late] */
    double booking_late_s;
    double call_noshow;  /* share of called applicants who are not there */
    double call_rejoin;  /* share of those who come back within the rejoin window */
    double call_s;       /* a window's time per call or recall of an absent applicant */
    double stats_from_s; /* waits of tickets taken before this are not counted (a
                            warm-up, to compare with steady-state formulas); 0 */
} hs_scenario;

/* Defaults for everything but lines and windows. */
void hs_scenario_init(hs_scenario *sc);

typedef struct hs_line_stats {
    int64_t arrived, served, abandoned, noshow, rejoined, within_target;
    int64_t waited;      /* served past the warm-up: the waits below count these */
    int64_t abandoned_w; /* gave up, past the warm-up */
    int64_t wait_sum_ms, wait_max_ms, handle_sum_ms;
    int64_t est_err_sum_ms, est_n; /* wait estimate at arrival vs the real wait */
    int64_t served_cls[QP_NCLASS], wait_cls_ms[QP_NCLASS];
    int64_t arrived_hour[24];
    int64_t handle_hour_ms[24], served_hour[24]; /* by hour the service began */
    uint32_t hist[HS_BUCKETS];
} hs_line_stats;

typedef struct hs_result {
    int days, nline, nwin;
    hs_line_stats line[HS_MAX_LINES];
    int64_t win_busy_ms[HS_MAX_WINDOWS], win_open_ms[HS_MAX_WINDOWS];
    int64_t win_served[HS_MAX_WINDOWS];
    double *day_wait_s; /* mean wait of each day (served tickets), for confidence */
} hs_result;

/* The part of window k's time that line l gets: 1 for a window serving only l, else
 * l's expected work (arrivals x mean handling) over that of all the window's lines. */
double hs_window_share(const hs_scenario *sc, int k, int l);

/* Check a scenario; 0 or -1 with a Chinese message in err. */
int hs_validate(const hs_scenario *sc, char *err, size_t errsize);

/* Simulate `days` days with `threads` threads (>= 1). The result is allocated inside;
 * release with hs_result_free. 0, or -1 on allocation or thread failure. */
int hs_run(const hs_scenario *sc, int days, uint64_t seed, int threads, hs_result *out);
void hs_result_free(hs_result *r);

/* Summaries over all lines (line < 0) or one line. Times in seconds. */
double hs_mean_wait_s(const hs_result *r, int line);
double hs_pct_wait_s(const hs_result *r, int line, double pct); /* from the histogram */
double hs_max_wait_s(const hs_result *r, int line);
double hs_service_level(const hs_result *r, int line); /* within target / (served + gone) */
double hs_est_mae_s(const hs_result *r, int line);
/* Mean and 95% half-width over days of the daily mean wait. */
void hs_wait_ci_s(const hs_result *r, double *mean, double *half);

#endif
