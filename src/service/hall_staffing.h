/*
 * hall_staffing.h - 窗口调度: how many windows each line needed hour by hour against how
 * many were open, the workload balance across windows, and the tidal windows (潮汐窗口)
 * a manager opens for a line at its peak and releases after.
 */
#ifndef YC_SERVICE_HALL_STAFFING_H
#define YC_SERVICE_HALL_STAFFING_H

#include "service/hall.h"

typedef struct hall_staffing_req {
    int64_t center_id;
    char day[11];     /* "YYYY-MM-DD", China Standard Time */
    int target_pct;   /* 1..99 */
    int target_min;   /* wait threshold, minutes (1..240) */
    int patience_min; /* 0: Erlang C; else Erlang A with this mean patience */
    int64_t now;      /* ms; hours after now count no open time */
} hall_staffing_req;

/* The staffing view (docs/api.md "窗口调度"). NULL with e filled (bad day) or on a
 * storage error (e empty). */
json_t *hall_staffing_view(db_conn *c, const hall_staffing_req *q, yc_err *e);

/* Open a tidal window for line_id: window_id, or (0) the first closed tidal window of
 * the center. It then serves that line only; opened with the window `open` action
 * (its audit row and window_open event), plus a tidal_open audit row and event.
 * *out: the window view. */
int hall_tidal_open(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t line_id,
                    int64_t window_id, json_t **out, yc_err *e);
/* Release a tidal window: off every line, and closed (409 WINDOW_BUSY with a ticket at
 * it). */
int hall_tidal_close(db_conn *tx, const hall_caller *who, int64_t center_id, int64_t window_id,
                     json_t **out, yc_err *e);

#endif
