/*
 * hallsim_json.h - a hall scenario from JSON (share/sim/county-hall.json is the shipped
 * example) and the what-if window spec of `yichuang simulate --open`.
 *
 * {
 *   "name": "...",
 *   "target": {"wait_minutes": 15, "level": 0.8},
 *   "policy": {"pattern": "3:2:1", "aging_minutes": 10, "max_wait_minutes": 60,
 *              "recall_limit": 2, "rejoin_limit": 1, "rejoin_within_minutes": 30,
 *              "rejoin_penalty_minutes": 10},
 *   "bookings": {"noshow": 0.1, "early_minutes": 10, "late_minutes": 5},
 *   "calls": {"noshow": 0.02, "rejoin": 0.5, "call_seconds": 30},
 *   "lines": [{"name": "社保", "prefix": "A", "walkin_per_hour": {"09": 50, ...},
 *              "booked_per_hour": {"09": 4, ...}, "green_share": 0.08,
 *              "service": {"dist": "lognormal", "mean_minutes": 6, "cv": 0.6},
 *              "patience_minutes": 60}],
 *   "windows": [{"name": "1号窗口", "lines": ["社保"], "hours": ["09:00-12:00",
 *                "13:30-17:00"], "count": 1, "overtime": true}]
 * }
 * Everything but lines and windows is optional (defaults: hs_scenario_init). Hour keys
 * are "0".."23" (or "09"); the value is arrivals in that hour. dist: "exp",
 * "lognormal" (with cv) or "fixed". count repeats a window ("1号窗口" becomes
 * "1号窗口-1", "1号窗口-2", ...). overtime (default true): keeps serving its lines'
 * queues after its last span.
 */
#ifndef YC_HALLSIM_JSON_H
#define YC_HALLSIM_JSON_H

#include "core/hallsim.h"

#include <stddef.h>

/* 0, or -1 with a Chinese message naming the place at fault in err. */
int hs_scenario_parse(const char *text, size_t len, hs_scenario *sc, char *err, size_t errsize);

/* "LINE:N:HH:MM-HH:MM": N more windows serving LINE in that span, without overtime
 * (temporary / 潮汐 windows). 0, or -1 with a Chinese message. */
int hs_add_windows(hs_scenario *sc, const char *spec, char *err, size_t errsize);

/* "HH:MM" (00:00..24:00) to seconds since midnight; 0 or -1. */
int hs_parse_hhmm(const char *s, int32_t *out);

/* The line named name, or -1. */
int hs_line_index(const hs_scenario *sc, const char *name);

#endif
